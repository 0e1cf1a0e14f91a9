"""The secretariat's briefing: one content, gathered in a fixed number of queries, rendered as an
editable DOCX or a PDF, in any of the four languages (issue 27, item 1)."""
