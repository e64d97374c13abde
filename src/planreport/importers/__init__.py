"""Importers: a council's existing plan (Word, Excel or CSV) into the plan format.

One module per stage: `reading` opens the file as what it is (`docx_tables`,
`xlsx_tables`, `csv_tables` make the neutral `grid` model), `mapping` and `vocabulary`
find each table's heading row and what each column means, `timescales`, `statuses`,
`leads` and `cells` read cells, `assemble` builds the `draft` plan from tables and the
text around them and `settle` finishes what needs the whole plan, `yaml_out` and
`yaml_text` write it and `people_out` adds new people, `run` is the stages in order,
and `summary` says what happened. Nothing here prints; the CLI does.
"""

from planreport.importers import summary
from planreport.importers.errors import ImportFailed
from planreport.importers.run import Options, Outcome, import_plan

__all__ = ["ImportFailed", "Options", "Outcome", "import_plan", "summary"]
