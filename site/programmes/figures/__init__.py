"""Programme figures, computed in the database in a bounded number of queries and returned as
Tables (`tables.Table`) that pages, charts, exports and the PDF report all read.

    selection.Selection            which companies (programme, cohort, sector, region, size)
    selection.SelectionForm        the dashboards' filters, validated
    overview.programme_overview    every overview table; one function per table beside it
    before_after.before_after      paired T0 → T1 → T2 averages and changes per dimension
    before_after.by_group          the same by cohort, sector, region or size
    companies.company_table        one row per company: maturity, learning, action plan
    charts.table_chart             a Table's bar chart as inline SVG
    exports.table_csv / table_xlsx a Table as a spreadsheet file
"""
