# Migrations are installed and found at run time (GUANBIAO_SQLDIR overrides).
sqldir = $(pkgdatadir)/sql
dist_sql_DATA = \
	sql/001_schema.sql sql/002_reference.sql sql/003_logic.sql sql/004_rights.sql \
	sql/005_views.sql sql/006_admin.sql sql/007_sample.sql sql/008_superuser.sql \
	sql/009_act_lock.sql sql/010_sample_speed.sql sql/011_labels.sql \
	sql/012_bulk_speed.sql sql/013_search.sql
# 014: materials validity, state guards, no-op updates, labels, activity index.
dist_sql_DATA += sql/014_rules.sql
# 015: a cheaper USCC check for bulk writes (import).
dist_sql_DATA += sql/015_import_speed.sql
# 016: the client's enterprise list at 1M rows (year's stage, sort indexes).
dist_sql_DATA += sql/016_list_speed.sql
# 017: recording in place from the client (scores, visits, credit checks, events).
dist_sql_DATA += sql/017_record.sql
EXTRA_DIST += sql/README
# 018: the sample's evaluations (per-leaf self and acceptance scores).
dist_sql_DATA += sql/018_sample_scores.sql
# The sample indicator table, installed beside the migrations so that an
# installed `guanbiao admin sample` finds it (contrib/ in the source tree).
dist_sql_DATA += contrib/indicators-sample.csv
# 019: what may be recorded follows the case's state, as the writes do.
dist_sql_DATA += sql/019_record_states.sql
# 020: the review screen's eligibility of one case (not counting itself).
dist_sql_DATA += sql/020_explain_case.sql
# 021: officer add on a database without districts explains itself.
dist_sql_DATA += sql/021_officer_hint.sql
# 022: large imports of new enterprises rebuild indexes instead of keeping them up.
dist_sql_DATA += sql/022_import_bulk.sql
# 023: the search's match for one row (the client's list walks dense terms).
dist_sql_DATA += sql/023_search_walk.sql
# 024: the bulk path rebuilds the USCC unique index and checks only what constraints do not.
dist_sql_DATA += sql/024_import_unique.sql
