"""Learning paths: editors' path rules turned into each company's and each person's path.

`engine` and `validation` work on plain data and touch no database; `store` reads the active
rules and the pages they name, `facts` what a person and their company achieved, `service`
puts them together for pages, and `gate` keeps locked modules and courses closed."""
