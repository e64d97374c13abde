"""The update round: forms out to lead officers (`request`), their answers into the plans (`apply`).

`form` is the form model and its hidden data; `request` builds forms from plans;
`xlsx_form` and `docx_form` write and read each format; `apply` checks answers and
writes them with `yaml_edit`, the comment-preserving text edit; `report` words both.
"""
