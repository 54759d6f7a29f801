dist_noinst_SCRIPTS += contrib/pgcluster.sh contrib/quickstart.sh contrib/check.sh \
	contrib/deps.sh contrib/build.sh
EXTRA_DIST += contrib/pg_hba.conf.example contrib/DEPLOY contrib/indicators-sample.csv contrib/bench-env.sh
dist_noinst_SCRIPTS += contrib/bench-sql.sh contrib/bench-xlsx.sh
dist_noinst_SCRIPTS += contrib/test-totals.sh contrib/valgrind.sh
