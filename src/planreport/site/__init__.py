"""`planreport site`: a static, accessible website of every plan, with open data.

`settings` types the `site:` section of planreport.yaml; `history` puts each action's
dated history in order; `model` is what every page shows, made once from the plans and
papers; `opendata` writes the JSON, CSV and Atom; `pages` renders the HTML; `build` is the
stages in order and writes only what changed.
"""
