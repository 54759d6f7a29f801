# Migrations are installed and found at run time (GUANBIAO_SQLDIR overrides).
sqldir = $(pkgdatadir)/sql
dist_sql_DATA =
EXTRA_DIST += sql/README
