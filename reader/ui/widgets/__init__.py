"""The window's widgets: passive views that take data and emit *_requested signals."""
