# tests/sql: the schema, rules, rights and sample data against a real server
# (names start with db_ so that tests/pgwrap.sh gives each a database).
SQL_TESTS = tests/sql/db_sample.sh tests/sql/db_rights.sh tests/sql/db_workflow.sh \
	tests/sql/db_history.sh tests/sql/db_admin.sh
TESTS += $(SQL_TESTS)
EXTRA_DIST += $(SQL_TESTS)

check_PROGRAMS += tests/sql/db_concurrency
TESTS += tests/sql/db_concurrency
tests_sql_db_concurrency_CFLAGS = $(TEST_CFLAGS)
tests_sql_db_concurrency_LDADD = $(TEST_DB_LIBS)

# The bulk-speed and search migrations (012, 013).
TESTS += tests/sql/db_sqlperf.sh
EXTRA_DIST += tests/sql/db_sqlperf.sh

# 014: materials validity, state guards, no-op updates, labels, queue, peer.
SQL_TESTS_014 = tests/sql/db_material.sh tests/sql/db_work_states.sh tests/sql/db_noop.sh \
	tests/sql/db_work_queue.sh tests/sql/db_labels.sh tests/sql/db_activity.sh tests/sql/db_peer.sh
TESTS += $(SQL_TESTS_014)
EXTRA_DIST += $(SQL_TESTS_014) tests/sql/fixture.sh tests/sql/fixture.sql

# 018: the sample's evaluations and its indicator version; programme copy
# and a year's early sample cases.
TESTS += tests/sql/db_sample_scores.sh tests/sql/db_programme_copy.sh
EXTRA_DIST += tests/sql/db_sample_scores.sh tests/sql/db_programme_copy.sh
# record_rights equals the write for every role, record kind and case state (019).
TESTS += tests/sql/db_record_states.sh
EXTRA_DIST += tests/sql/db_record_states.sh
# 020: the review screen's eligibility of one case.
TESTS += tests/sql/db_explain_case.sh
EXTRA_DIST += tests/sql/db_explain_case.sh
# 022: gb.enterprise_insert_staged, its bulk path and refusals.
TESTS += tests/sql/db_import_bulk.sh
EXTRA_DIST += tests/sql/db_import_bulk.sh
# 023: the walk's match is the search function's.
TESTS += tests/sql/db_search_match.sh
EXTRA_DIST += tests/sql/db_search_match.sh
