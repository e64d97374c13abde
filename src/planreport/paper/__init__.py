"""The paper side: definitions, layouts, fields, blocks, the paper model, charts and fit."""
