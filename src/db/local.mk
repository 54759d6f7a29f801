# db: libpq connection, queries, migrations. No curses.
noinst_LIBRARIES += src/db/libdb.a
src_db_libdb_a_CFLAGS = $(AM_CFLAGS) $(LIBPQ_CFLAGS)
src_db_libdb_a_SOURCES = \
	src/db/db.c src/db/db.h \
	src/db/migrate.c src/db/migrate.h
src_db_libdb_a_SOURCES += \
	src/db/listen.c src/db/listen.h \
	src/db/pager.c src/db/pager.h \
	src/db/entlist.c src/db/entlist.h
# admin: bulk loads for guanbiao admin (sql helper).
src_db_libdb_a_SOURCES += \
	src/db/admin_load.c src/db/admin_load.h
