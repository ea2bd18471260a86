"""The ground floor: paths, bundled resources, safe file writes, settings, links, colours, layouts, numbers,
citation marks and key redaction. May import nothing of Reader's."""
