-- 024: the bulk path of gb.enterprise_insert_staged (022) also rebuilds
-- the unique constraints and asks of each staged row only what the
-- table's constraints do not check.
-- At 1,000,000 new rows the unique index on uscc, kept up row by row in
-- the random order of USCCs, cost ~4.5 s of the INSERT where building it
-- afterwards takes ~0.5 s; and the check that every row may skip
-- enterprise_validate (gb.enterprise_row_clean over the stage, 2.6 s)
-- repeated the USCC check character that the CHECK constraint computes
-- again for every row inserted.  Now:
--   * unique constraints that no foreign key refers to are dropped with
--     the secondary indexes and added again before them (a USCC twice in
--     the batch, or held by an enterprise the caller cannot see, is then
--     refused there with 23505, as the plain INSERT refuses it);
--   * the stage is checked with gb.enterprise_row_unchecked: the part of
--     gb.enterprise_row_clean that no constraint of the table enforces;
--     a row that a CHECK constraint refuses (the trigger would have
--     upper-cased its USCC, or refused it with its message) makes the
--     INSERT run again with the row triggers, inside the same call;
--   * a stage already stored in the order of its order column is read as
--     it is (0.24 s to check, 0.9 s to sort at 1,000,000 rows).
-- See sql/README "Bulk import (022, 024)".
SET ROLE gb_owner;

-- True when a row that satisfies the CHECK and NOT NULL constraints of
-- gb.enterprise also satisfies gb.enterprise_row_clean: those constraints
-- hold uscc upper-case and valid (so 18 characters, none blank), name
-- NOT NULL with something besides blanks, sales and employees not
-- negative, sales_year within 1949-2100 and a known industry; what is
-- left is whether name and uscc are trimmed and the dates not in the
-- future.  tests/sql/db_import_bulk.sh holds the two equal on rows that
-- break each condition.
CREATE FUNCTION gb.enterprise_row_unchecked(uscc text, name text, established_on date,
					    sales_year int) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(uscc = btrim(uscc) AND name = btrim(name)
	AND established_on <= current_date IS NOT FALSE
	AND sales_year <= extract(year FROM current_date) IS NOT FALSE, false);

-- True when every row of stage passes test (a boolean function whose
-- parameters are named after enterprise columns) as it would be inserted:
-- each argument is the stage's column of that name (cast to the
-- enterprise column's type and collation), else the column's default,
-- else NULL.  022's one-argument form asked gb.enterprise_row_clean.
CREATE FUNCTION gb.enterprise_stage_clean(stage regclass, test regprocedure) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	fn text;
	args text;
	dirty boolean;
BEGIN
	SELECT format('%I.%I', min(n.nspname), min(f.proname)), string_agg(coalesce(
		(SELECT format('(s.%I::%s%s)', c.column_name, c.type_sql, c.collate_sql)
		 FROM gb.enterprise_stage_columns(stage) c WHERE c.column_name = p.name),
		(SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
		 WHERE d.adrelid = e.attrelid AND d.adnum = e.attnum),
		format('NULL::%s', format_type(e.atttypid, e.atttypmod))), ', ' ORDER BY p.ord)
	INTO fn, args
	FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace,
	     unnest(f.proargnames) WITH ORDINALITY p(name, ord)
	     JOIN pg_attribute e ON e.attrelid = 'gb.enterprise'::regclass AND e.attname = p.name
	WHERE f.oid = test;
	EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %s s WHERE NOT %s(%s))', stage, fn, args)
		INTO dirty;
	RETURN NOT dirty;
END $$;

CREATE OR REPLACE FUNCTION gb.enterprise_insert_staged(stage regclass, order_by name DEFAULT NULL,
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
	uq_names text[];
	uq_defs text[];
	uq_notes text[];
	uq_labels text[];
	uq_clustered name;
	con_name name;
	in_order boolean;
	detail text;
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
		bulk := gb.enterprise_stage_clean(stage,
			'gb.enterprise_row_unchecked(text, text, date, int)'::regprocedure);
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
	-- primary key, unique or exclusion constraint), the unique constraints
	-- no foreign key refers to, the foreign keys, the enabled row triggers
	-- that need not run (see gb.enterprise_row_unchecked).
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
	SELECT array_agg(k.conname ORDER BY k.conname), array_agg(pg_get_constraintdef(k.oid) ORDER BY k.conname),
	       array_agg(obj_description(k.oid, 'pg_constraint') ORDER BY k.conname),
	       array_agg((SELECT string_agg(coalesce(l.label, a.attname), '、' ORDER BY u.ord)
			  FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
			  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
			  LEFT JOIN gb.field_label l ON l.table_name = 'enterprise' AND l.column_name = a.attname)
			 ORDER BY k.conname),
	       min(k.conname) FILTER (WHERE (SELECT i.indisclustered FROM pg_index i WHERE i.indexrelid = k.conindid))
	INTO uq_names, uq_defs, uq_notes, uq_labels, uq_clustered
	FROM pg_constraint k WHERE k.conrelid = 'gb.enterprise'::regclass AND k.contype = 'u'
	  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid);
	SELECT array_agg(t.tgname ORDER BY t.tgname) INTO trg_names
	FROM pg_trigger t WHERE t.tgrelid = 'gb.enterprise'::regclass AND t.tgenabled = 'O'
	  AND t.tgname IN ('enterprise_validate', 'enterprise_version_insert');

	FOR i IN 1 .. coalesce(cardinality(idx_names), 0) LOOP
		EXECUTE format('DROP INDEX gb.%I', idx_names[i]);
	END LOOP;
	FOREACH con_name IN ARRAY coalesce(fk_names, '{}') || coalesce(uq_names, '{}') LOOP
		EXECUTE format('ALTER TABLE gb.enterprise DROP CONSTRAINT %I', con_name);
	END LOOP;
	FOR i IN 1 .. coalesce(cardinality(trg_names), 0) LOOP
		EXECUTE format('ALTER TABLE gb.enterprise DISABLE TRIGGER %I', trg_names[i]);
	END LOOP;
	-- A stage already in order_by's order (a scan of a temporary table
	-- returns its rows as stored: no synchronised scans, no parallel
	-- workers) is read as it is: checking costs a quarter of sorting.
	IF order_by IS NOT NULL THEN
		EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM (SELECT %1$I IS NULL OR %1$I < lag(%1$I) OVER () AS back
				FROM ONLY %2$s) s WHERE back)', order_by, stage) INTO in_order;
		IF in_order THEN
			sel := format('SELECT %s FROM ONLY %s', cols, stage);
		END IF;
	END IF;
	RAISE DEBUG 'enterprise_insert_staged: % %', 'lock and drop', clock_timestamp() - t;
	t := clock_timestamp();

	-- A CHECK constraint refusing a row: the row triggers would have
	-- cleaned it (a USCC in lower case) or refused it with their message
	-- (a wrong check character): the same INSERT again with them.
	BEGIN
		EXECUTE format('INSERT INTO gb.enterprise (%s) %s', cols, sel);
		GET DIAGNOSTICS n = ROW_COUNT;
	EXCEPTION WHEN check_violation THEN
		FOR i IN 1 .. coalesce(cardinality(trg_names), 0) LOOP
			EXECUTE format('ALTER TABLE gb.enterprise ENABLE TRIGGER %I', trg_names[i]);
		END LOOP;
		trg_names := NULL;
		RAISE DEBUG 'enterprise_insert_staged: % %', 'insert refused, again with the triggers',
			clock_timestamp() - t;
		EXECUTE format('INSERT INTO gb.enterprise (%s) %s', cols, sel);
		GET DIAGNOSTICS n = ROW_COUNT;
	END;
	RAISE DEBUG 'enterprise_insert_staged: % %', 'insert', clock_timestamp() - t;
	t := clock_timestamp();
	-- At 1,000,000 rows the builds took the same time with 16MB, 64MB,
	-- 256MB or 1GB (the trigram GIN builds are bound by extracting
	-- trigrams): PostgreSQL's default 64MB at least, no more.
	old_setting := current_setting('maintenance_work_mem');
	IF pg_size_bytes(old_setting) < pg_size_bytes('64MB') THEN
		PERFORM set_config('maintenance_work_mem', '64MB', true);
	END IF;
	-- Uniqueness first: a USCC twice in the batch, or held by an enterprise
	-- the caller cannot see, ends here (23505, as the plain INSERT would).
	FOR i IN 1 .. coalesce(cardinality(uq_names), 0) LOOP
		BEGIN
			EXECUTE format('ALTER TABLE gb.enterprise ADD CONSTRAINT %I %s', uq_names[i], uq_defs[i]);
		EXCEPTION WHEN unique_violation THEN
			GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
			RAISE EXCEPTION USING ERRCODE = 'unique_violation',
				MESSAGE = format('导入的企业中有%s与已有企业相同，没有导入任何企业', uq_labels[i]),
				DETAIL = detail, CONSTRAINT = uq_names[i];
		END;
		IF uq_notes[i] IS NOT NULL THEN
			EXECUTE format('COMMENT ON CONSTRAINT %I ON gb.enterprise IS %L', uq_names[i], uq_notes[i]);
		END IF;
	END LOOP;
	-- A constraint's index bears the constraint's name.
	idx_clustered := coalesce(idx_clustered, uq_clustered);
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

DROP FUNCTION gb.enterprise_stage_clean(regclass);
REVOKE EXECUTE ON FUNCTION gb.enterprise_stage_clean(regclass, regprocedure) FROM PUBLIC;

RESET ROLE;
