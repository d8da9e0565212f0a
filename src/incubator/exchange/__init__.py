"""Data exchange with the spreadsheets parks use: every list exported as CSV or XLSX (streamed), and,
next, the import of the same layouts."""
