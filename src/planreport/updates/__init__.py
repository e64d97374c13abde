"""The update round: forms out to lead officers (`request`), their answers into the plans (`apply`).

`form` is the form model and its hidden data; `request` builds forms from plans;
`formats` registers each form format, whose module (`xlsx_form`, `docx_form`) writes and
reads it; `apply` checks answers and writes them with `yaml_edit`, the comment-preserving
text edit; `report` words both.
"""
