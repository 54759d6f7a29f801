-- 022: large imports of new enterprises rebuild instead of maintain.
-- An INSERT of 1,000,000 rows into gb.enterprise spent most of its time
-- keeping up, row by row, seven secondary indexes (four btree, three
-- pg_trgm GIN), the foreign key to gb.district and the WHEN conditions of
-- the two BEFORE ROW triggers.  gb.enterprise_insert_staged inserts the
-- rows of a temporary table of the caller's session; a large batch takes
-- the table for itself (ACCESS EXCLUSIVE until the transaction ends),
-- drops those indexes and foreign keys, disables the two row triggers once
-- every row is known to pass enterprise_validate's condition, inserts, and
-- builds everything again from the definitions it read from the catalog.
-- DDL is transactional: any error (or a rollback of the caller's
-- transaction) leaves indexes, keys and triggers as they were.  History
-- rows and the one bulk notification come from the statement trigger of
-- 012/014 as for any INSERT.  See sql/README "Bulk import (022)".
SET ROLE gb_owner;

-- True when a row needs nothing from enterprise_validate: already trimmed,
-- upper-cased and valid.  The one statement of that condition: the
-- trigger's WHEN clause below and the bulk check of
-- gb.enterprise_insert_staged both call it (a SQL-standard body, parsed
-- here; the planner inlines it, so a clean row still costs no call).  The
-- parameters are named after the enterprise columns they take: the bulk
-- check finds them by name.
CREATE FUNCTION gb.enterprise_row_clean(uscc text, name text, sales_revenue_wan numeric,
					employees int, established_on date, sales_year int,
					industry text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(uscc = upper(btrim(uscc)) AND gb.uscc_valid(uscc)
	AND name = btrim(name) AND name <> ''
	AND sales_revenue_wan >= 0 IS NOT FALSE
	AND employees > 0 IS NOT FALSE
	AND established_on <= current_date IS NOT FALSE
	AND sales_year <= extract(year FROM current_date) IS NOT FALSE
	AND industry IN ('制造业', '生产性服务业', '其他') IS NOT FALSE, false);

-- The trigger of 012, its condition now written once (same meaning).
DROP TRIGGER enterprise_validate ON gb.enterprise;
CREATE TRIGGER enterprise_validate BEFORE INSERT OR UPDATE ON gb.enterprise
	FOR EACH ROW WHEN (NOT gb.enterprise_row_clean(NEW.uscc, NEW.name, NEW.sales_revenue_wan,
		NEW.employees, NEW.established_on, NEW.sales_year, NEW.industry))
	EXECUTE FUNCTION gb.tg_enterprise_validate();

-- The stage's columns that are insertable columns of gb.enterprise, with
-- the enterprise column's type: refuses (GB006) a column of another type,
-- whose cast could run code that is not ours as gb_owner.
CREATE FUNCTION gb.enterprise_stage_columns(stage regclass)
RETURNS TABLE(column_name name, type_sql text, collate_sql text, same_type boolean, stage_type text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT e.attname, format_type(e.atttypid, e.atttypmod),
	       CASE WHEN e.attcollation <> 0 THEN (SELECT format(' COLLATE %I.%I', n.nspname, c.collname)
		FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE c.oid = e.attcollation)
	       ELSE '' END,
	       s.atttypid = e.atttypid, format_type(s.atttypid, s.atttypmod)
	FROM pg_attribute s
	JOIN pg_attribute e ON e.attrelid = 'gb.enterprise'::regclass AND e.attname = s.attname
	 AND e.attnum > 0 AND NOT e.attisdropped AND e.attgenerated = '' AND e.attidentity = ''
	WHERE s.attrelid = stage AND s.attnum > 0 AND NOT s.attisdropped
	  AND e.attname NOT IN ('id', 'version', 'created_at', 'updated_at', 'updated_by')
	ORDER BY s.attnum
$$;

-- How many rows gb.enterprise holds, without reading it (a count would
-- only see the caller's rows anyway): the statistics' live rows, or the
-- catalog's count from the last vacuum, analyze or index build when that
-- is larger (statistics are lost in a crash).  Not the table's size: the
-- rows of a rolled-back import would count until a vacuum.
CREATE FUNCTION gb.enterprise_rows_estimate() RETURNS bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT greatest(pg_stat_get_live_tuples(c.oid), c.reltuples::bigint, 0)
	FROM pg_class c WHERE c.oid = 'gb.enterprise'::regclass
$$;

-- True when every row of stage passes gb.enterprise_row_clean as it
-- would be inserted: each argument is the stage's column of that name
-- (cast to the enterprise column's type and collation), else the column's
-- default, else NULL.
CREATE FUNCTION gb.enterprise_stage_clean(stage regclass) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	args text;
	dirty boolean;
BEGIN
	SELECT string_agg(coalesce(
		(SELECT format('(s.%I::%s%s)', c.column_name, c.type_sql, c.collate_sql)
		 FROM gb.enterprise_stage_columns(stage) c WHERE c.column_name = p.name),
		(SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
		 WHERE d.adrelid = e.attrelid AND d.adnum = e.attnum),
		format('NULL::%s', format_type(e.atttypid, e.atttypmod))), ', ' ORDER BY p.ord)
	INTO args
	FROM pg_proc f,
	     unnest(f.proargnames) WITH ORDINALITY p(name, ord)
	     JOIN pg_attribute e ON e.attrelid = 'gb.enterprise'::regclass AND e.attname = p.name
	WHERE f.oid = 'gb.enterprise_row_clean(text, text, numeric, int, date, int, text)'::regprocedure;
	EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %s s WHERE NOT gb.enterprise_row_clean(%s))',
		       stage, args) INTO dirty;
	RETURN NOT dirty;
END $$;

-- Insert the rows of stage (a table of the caller's own session, to which
-- the caller granted SELECT to gb_owner) into gb.enterprise, in the order
-- of its integer column order_by when given; returns how many.  Columns:
-- those of the stage that are insertable enterprise columns (never id,
-- version, created_at, updated_at, updated_by), of the same types.  A
-- batch of at least bulk_min rows (NULL: 10000) that is also at least as
-- large as the table takes the bulk path described above, when it gets
-- the table lock within 3 seconds and every row passes
-- gb.enterprise_row_clean; otherwise a plain INSERT (the trigger then
-- gives its per-row GB006 message).  Row security applies as to any
-- INSERT of the caller: the policies read session_user.
CREATE FUNCTION gb.enterprise_insert_staged(stage regclass, order_by name DEFAULT NULL,
					     bulk_min bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r constant text := gb.my_role();
	st pg_class;
	bad record;
	cols text;
	sel text;
	n bigint;
	bulk boolean;
	idx_names text[];
	idx_defs text[];
	idx_notes text[];
	idx_clustered text;
	fk_names text[];
	fk_defs text[];
	trg_names text[];
	old_setting text;
	t timestamptz := clock_timestamp();
BEGIN
	IF r IS NULL THEN
		PERFORM gb.require_officer();
	END IF;
	IF r NOT IN ('city', 'district') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('%s不能新增企业', gb.role_label(r)),
			HINT = '只有市信用办和区镇工作人员可以导入企业';
	END IF;
	SELECT * INTO st FROM pg_class WHERE oid = stage;
	IF st.relpersistence IS DISTINCT FROM 't' OR st.relnamespace IS DISTINCT FROM pg_my_temp_schema()
	   OR st.relkind <> 'r' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('只能从本会话自己的临时表导入企业，%s 不是', stage),
			HINT = 'CREATE TEMP TABLE … 后 GRANT SELECT ON 该表 TO gb_owner';
	END IF;
	-- Its row policies would run as gb_owner.
	IF st.relrowsecurity THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('暂存表 %s 启用了行级安全，不能用于导入', stage);
	END IF;
	IF NOT has_table_privilege(stage, 'SELECT') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('暂存表 %s 未授权读取', stage),
			HINT = format('先执行 GRANT SELECT ON %s TO gb_owner', stage);
	END IF;
	SELECT * INTO bad FROM gb.enterprise_stage_columns(stage) c WHERE NOT c.same_type LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('暂存表的列 %s 应为 %s 类型（现为 %s）', bad.column_name, bad.type_sql, bad.stage_type),
			DETAIL = format('字段 %s', bad.column_name);
	END IF;
	SELECT string_agg(quote_ident(c.column_name), ', ') INTO cols FROM gb.enterprise_stage_columns(stage) c;
	IF cols IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('暂存表 %s 没有企业表的列', stage);
	END IF;
	IF order_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = stage
			AND a.attname = order_by AND a.attnum > 0 AND NOT a.attisdropped
			AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('暂存表 %s 没有整数列 %s，不能按它排序', stage, order_by);
	END IF;
	sel := format('SELECT %s FROM ONLY %s%s', cols, stage,
		      CASE WHEN order_by IS NOT NULL THEN format(' ORDER BY %I', order_by) ELSE '' END);

	-- A district officer's rows are of their district (row security would
	-- refuse them anyway, in English).
	IF r = 'district' AND EXISTS (SELECT 1 FROM gb.enterprise_stage_columns(stage) c
				      WHERE c.column_name = 'district_id') THEN
		EXECUTE format('SELECT count(*) FROM ONLY %s WHERE district_id <> $1', stage)
			INTO n USING gb.my_district();
		IF n > 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'GB003',
				MESSAGE = format('您只能新增本区镇（%s）的企业，有 %s 行属于其他区镇',
					(SELECT d.name FROM gb.district d WHERE d.id = gb.my_district()), n);
		END IF;
	END IF;

	EXECUTE format('SELECT count(*) FROM ONLY %s', stage) INTO n;
	bulk := n >= coalesce(bulk_min, 10000) AND n >= gb.enterprise_rows_estimate();
	IF bulk THEN
		bulk := gb.enterprise_stage_clean(stage);
	END IF;
	RAISE DEBUG 'enterprise_insert_staged: % %', 'checks', clock_timestamp() - t;
	t := clock_timestamp();
	IF bulk THEN
		-- Wait at most 3 seconds for the readers of the table (others
		-- queue behind this request meanwhile); a second bulk import in a
		-- deadlock with this one takes the plain path too.
		old_setting := current_setting('lock_timeout');
		PERFORM set_config('lock_timeout', '3s', true);
		BEGIN
			LOCK TABLE gb.enterprise IN ACCESS EXCLUSIVE MODE;
		EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
			bulk := false;
		END;
		PERFORM set_config('lock_timeout', old_setting, true);
	END IF;
	IF NOT bulk THEN
		EXECUTE format('INSERT INTO gb.enterprise (%s) %s', cols, sel);
		GET DIAGNOSTICS n = ROW_COUNT;
		RETURN n;
	END IF;

	-- What to build again: the secondary indexes (not those of a
	-- primary key, unique or exclusion constraint), the foreign keys, the
	-- enabled row triggers that need not run (see enterprise_stage_clean).
	SELECT array_agg(c.relname ORDER BY c.relname), array_agg(pg_get_indexdef(i.indexrelid) ORDER BY c.relname),
	       array_agg(obj_description(i.indexrelid, 'pg_class') ORDER BY c.relname),
	       min(c.relname) FILTER (WHERE i.indisclustered)
	INTO idx_names, idx_defs, idx_notes, idx_clustered
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE i.indrelid = 'gb.enterprise'::regclass AND NOT i.indisunique AND NOT i.indisprimary
	  AND i.indisvalid AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
	SELECT array_agg(k.conname ORDER BY k.conname), array_agg(pg_get_constraintdef(k.oid) ORDER BY k.conname)
	INTO fk_names, fk_defs
	FROM pg_constraint k WHERE k.conrelid = 'gb.enterprise'::regclass AND k.contype = 'f';
	SELECT array_agg(t.tgname ORDER BY t.tgname) INTO trg_names
	FROM pg_trigger t WHERE t.tgrelid = 'gb.enterprise'::regclass AND t.tgenabled = 'O'
	  AND t.tgname IN ('enterprise_validate', 'enterprise_version_insert');

	FOR i IN 1 .. coalesce(cardinality(idx_names), 0) LOOP
		EXECUTE format('DROP INDEX gb.%I', idx_names[i]);
	END LOOP;
	FOR i IN 1 .. coalesce(cardinality(fk_names), 0) LOOP
		EXECUTE format('ALTER TABLE gb.enterprise DROP CONSTRAINT %I', fk_names[i]);
	END LOOP;
	FOR i IN 1 .. coalesce(cardinality(trg_names), 0) LOOP
		EXECUTE format('ALTER TABLE gb.enterprise DISABLE TRIGGER %I', trg_names[i]);
	END LOOP;
	RAISE DEBUG 'enterprise_insert_staged: % %', 'lock and drop', clock_timestamp() - t;
	t := clock_timestamp();

	EXECUTE format('INSERT INTO gb.enterprise (%s) %s', cols, sel);
	GET DIAGNOSTICS n = ROW_COUNT;
	RAISE DEBUG 'enterprise_insert_staged: % %', 'insert', clock_timestamp() - t;
	t := clock_timestamp();
	-- At 1,000,000 rows the builds took the same time with 16MB, 64MB,
	-- 256MB or 1GB (the trigram GIN builds are bound by extracting
	-- trigrams): PostgreSQL's default 64MB at least, no more.
	old_setting := current_setting('maintenance_work_mem');
	IF pg_size_bytes(old_setting) < pg_size_bytes('64MB') THEN
		PERFORM set_config('maintenance_work_mem', '64MB', true);
	END IF;
	FOR i IN 1 .. coalesce(cardinality(idx_names), 0) LOOP
		EXECUTE idx_defs[i];
		IF idx_notes[i] IS NOT NULL THEN
			EXECUTE format('COMMENT ON INDEX gb.%I IS %L', idx_names[i], idx_notes[i]);
		END IF;
	END LOOP;
	IF idx_clustered IS NOT NULL THEN
		EXECUTE format('ALTER TABLE gb.enterprise CLUSTER ON %I', idx_clustered);
	END IF;
	PERFORM set_config('maintenance_work_mem', old_setting, true);
	RAISE DEBUG 'enterprise_insert_staged: % %', 'indexes', clock_timestamp() - t;
	t := clock_timestamp();
	FOR i IN 1 .. coalesce(cardinality(fk_names), 0) LOOP
		EXECUTE format('ALTER TABLE gb.enterprise ADD CONSTRAINT %I %s', fk_names[i], fk_defs[i]);
	END LOOP;
	FOR i IN 1 .. coalesce(cardinality(trg_names), 0) LOOP
		EXECUTE format('ALTER TABLE gb.enterprise ENABLE TRIGGER %I', trg_names[i]);
	END LOOP;
	RAISE DEBUG 'enterprise_insert_staged: % %', 'keys and triggers', clock_timestamp() - t;
	RETURN n;
END $$;

REVOKE EXECUTE ON FUNCTION gb.enterprise_stage_columns(regclass), gb.enterprise_stage_clean(regclass),
	gb.enterprise_rows_estimate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION gb.enterprise_insert_staged(regclass, name, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gb.enterprise_insert_staged(regclass, name, bigint)
	TO gb_city, gb_district, gb_agency, gb_observer;

RESET ROLE;
