"""StreamField blocks of a lesson body; each has its own template in templates/courses/blocks/."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from .quiz import KnowledgeCheckBlock
from .video import embed_url, is_video_file

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/figure.html"
        description = _("An image with alternative text and an optional caption")


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("Video address"),
        help_text=_("A YouTube or Vimeo link, or an https link to an .mp4 or .webm file."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        description = _("A video that loads only when the learner asks for it")

    def clean(self, value):
        value = super().clean(value)
        if not (embed_url(value["url"]) or is_video_file(value["url"])):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Use a YouTube or Vimeo link, or an https link to an .mp4 or .webm file.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = embed_url(value["url"])
        context["is_file"] = is_video_file(value["url"])
        return context


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("info", _("Good to know")), ("warning", _("Watch out"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        description = _("A highlighted tip, fact or warning")


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    label = blocks.CharBlock(label=_("Link text"), max_length=120)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "download"
        label = pgettext_lazy("lesson block", "Download")
        template = "courses/blocks/download.html"
        description = _("A file learners can download, such as a template or a checklist")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item"), max_length=250), label=_("Items"))

    class Meta:
        icon = "list-ul"
        label = _("Checklist")
        template = "courses/blocks/checklist.html"
        description = _("A list of points learners tick off for themselves")


class ActionTaskBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=150)
    instructions = blocks.TextBlock(label=_("What to do in your company"))
    deliverable = blocks.TextBlock(label=_("What to keep as evidence"), required=False)

    class Meta:
        icon = "tasks"
        label = _("Apply it in your company")
        template = "courses/blocks/action_task.html"
        description = _("A task the learner carries out in their own company")


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="courses/blocks/rich_text.html"
    )
    image = FigureBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    download = DownloadBlock()
    checklist = ChecklistBlock()
    action_task = ActionTaskBlock()
    knowledge_check = KnowledgeCheckBlock()


class ObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(label=_("Objective"), max_length=250)
