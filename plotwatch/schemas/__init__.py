"""JSON Schemas (draft 2020-12) of the export records; loaded by ``plotwatch.export.validate``."""
