dist_noinst_SCRIPTS += contrib/pgcluster.sh contrib/quickstart.sh contrib/check.sh \
	contrib/deps.sh contrib/build.sh
