-- 012: bulk writes of enterprises (import, sample) at COPY-like speed.
--  * The USCC check character and validity as pure SQL expressions that the
--    planner inlines into the CHECK constraint (same algorithm, same results
--    as 001/010: NULL for fewer than 17 characters or one outside the
--    alphabet, lower case accepted).
--  * The BEFORE ROW triggers of gb.enterprise (field checks, version on
--    insert) fire only for rows that need them (WHEN conditions).
--  * History of gb.enterprise written set-based by statement-level AFTER
--    triggers with transition tables: still exactly one history row per
--    changed row, with the same columns as gb.tg_history writes; one
--    notification per statement when it changed more than one row.
SET ROLE gb_owner;

-- Value of each character of the USCC alphabet by its code (0..127),
-- lower case as upper case, NULL for any other character.  Immutable and
-- without arguments: the planner folds a call into a constant.
CREATE FUNCTION gb.uscc_values() RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '[0:127]={NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,1,2,3,4,5,6,7,8,9,NULL,NULL,NULL,NULL,NULL,NULL,NULL,10,11,12,13,14,15,16,17,NULL,18,19,20,21,22,NULL,23,24,25,NULL,26,27,NULL,28,29,30,NULL,NULL,NULL,NULL,NULL,NULL,NULL,10,11,12,13,14,15,16,17,NULL,18,19,20,21,22,NULL,23,24,25,NULL,26,27,NULL,28,29,30,NULL,NULL,NULL,NULL,NULL,NULL}'::int[] $$;

-- Check character of the first 17 characters, or NULL (see 001).  The
-- value of each character comes from a table indexed by its code (NULL
-- outside the alphabet, lower case as upper case; a missing character is
-- code 0, a non-ASCII one is past the end): no loop, no regular expression.
CREATE OR REPLACE FUNCTION gb.uscc_check_char(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (31 - (
		(gb.uscc_values())[ascii(substr(code, 1, 1))] * 1
		+ (gb.uscc_values())[ascii(substr(code, 2, 1))] * 3
		+ (gb.uscc_values())[ascii(substr(code, 3, 1))] * 9
		+ (gb.uscc_values())[ascii(substr(code, 4, 1))] * 27
		+ (gb.uscc_values())[ascii(substr(code, 5, 1))] * 19
		+ (gb.uscc_values())[ascii(substr(code, 6, 1))] * 26
		+ (gb.uscc_values())[ascii(substr(code, 7, 1))] * 16
		+ (gb.uscc_values())[ascii(substr(code, 8, 1))] * 17
		+ (gb.uscc_values())[ascii(substr(code, 9, 1))] * 20
		+ (gb.uscc_values())[ascii(substr(code, 10, 1))] * 29
		+ (gb.uscc_values())[ascii(substr(code, 11, 1))] * 25
		+ (gb.uscc_values())[ascii(substr(code, 12, 1))] * 13
		+ (gb.uscc_values())[ascii(substr(code, 13, 1))] * 8
		+ (gb.uscc_values())[ascii(substr(code, 14, 1))] * 24
		+ (gb.uscc_values())[ascii(substr(code, 15, 1))] * 10
		+ (gb.uscc_values())[ascii(substr(code, 16, 1))] * 30
		+ (gb.uscc_values())[ascii(substr(code, 17, 1))] * 28
	) % 31) % 31 + 1, 1) $$;

-- True when code is a well-formed USCC with the right check character
-- (NULL for NULL, as before; not STRICT so that it is inlined).
CREATE OR REPLACE FUNCTION gb.uscc_valid(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN code IS NULL THEN NULL ELSE length(code) = 18
	AND gb.uscc_check_char(code) IS NOT DISTINCT FROM upper(substr(code, 18, 1)) END $$;

-- The row triggers of 003 (field checks with Chinese messages, version
-- stamps) run only for a row that needs them: a WHEN condition, evaluated
-- without calling PL/pgSQL, skips them for a row that is already trimmed,
-- upper-cased and valid, and for an insert that kept the column defaults.
DROP TRIGGER enterprise_validate ON gb.enterprise;
CREATE TRIGGER enterprise_validate BEFORE INSERT OR UPDATE ON gb.enterprise
	FOR EACH ROW WHEN (NOT coalesce(NEW.uscc = upper(btrim(NEW.uscc)) AND gb.uscc_valid(NEW.uscc)
		AND NEW.name = btrim(NEW.name) AND NEW.name <> ''
		AND NEW.sales_revenue_wan >= 0 IS NOT FALSE
		AND NEW.employees > 0 IS NOT FALSE
		AND NEW.established_on <= current_date IS NOT FALSE
		AND NEW.sales_year <= extract(year FROM current_date) IS NOT FALSE
		AND NEW.industry IN ('制造业', '生产性服务业', '其他') IS NOT FALSE, false))
	EXECUTE FUNCTION gb.tg_enterprise_validate();
DROP TRIGGER enterprise_version_insert ON gb.enterprise;
CREATE TRIGGER enterprise_version_insert BEFORE INSERT ON gb.enterprise
	FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM 1 OR NEW.updated_at IS DISTINCT FROM now()
		OR NEW.updated_by IS DISTINCT FROM session_user)
	EXECUTE FUNCTION gb.tg_version_insert();

-- History of a statement on gb.enterprise, set-based: one row per changed
-- row (what gb.tg_history writes for it), then one notification: the usual
-- {table, id, version} for a single row, {table, bulk, count} for more.
CREATE FUNCTION gb.tg_enterprise_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n bigint;
	one_id bigint;
	one_version int;
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO gb.history (table_name, record_id, action, after, enterprise_id, district_id)
		SELECT 'enterprise', a.id, 'insert', to_jsonb(a), a.id, a.district_id
		FROM new_rows a ORDER BY a.id;
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO gb.history (table_name, record_id, action, before, after, enterprise_id, district_id)
		SELECT 'enterprise', a.id, 'update', to_jsonb(b), to_jsonb(a), a.id, a.district_id
		FROM new_rows a JOIN old_rows b ON b.id = a.id ORDER BY a.id;
	ELSE
		INSERT INTO gb.history (table_name, record_id, action, before, enterprise_id, district_id)
		SELECT 'enterprise', b.id, 'delete', to_jsonb(b), b.id, b.district_id
		FROM old_rows b ORDER BY b.id;
	END IF;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 1 THEN
		IF TG_OP = 'DELETE' THEN
			SELECT id, version INTO one_id, one_version FROM old_rows;
		ELSE
			SELECT id, version INTO one_id, one_version FROM new_rows;
		END IF;
		PERFORM pg_notify('gb_change', json_build_object('table', 'enterprise', 'id', one_id,
			'version', one_version)::text);
	ELSIF n > 1 THEN
		PERFORM pg_notify('gb_change', json_build_object('table', 'enterprise', 'bulk', true,
			'count', n)::text);
	END IF;
	RETURN NULL;
END $$;

DROP TRIGGER enterprise_history ON gb.enterprise;
CREATE TRIGGER enterprise_history_insert AFTER INSERT ON gb.enterprise
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION gb.tg_enterprise_history();
CREATE TRIGGER enterprise_history_update AFTER UPDATE ON gb.enterprise
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION gb.tg_enterprise_history();
CREATE TRIGGER enterprise_history_delete AFTER DELETE ON gb.enterprise
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION gb.tg_enterprise_history();

RESET ROLE;
