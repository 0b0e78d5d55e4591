"""API views, one module per resource. They parse, call a plain function, answer."""
