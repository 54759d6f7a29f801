-- 008: superuser sessions (migrations, `guanbiao admin`, tests) pass every
-- row policy.  A superuser bypasses RLS on direct access anyway; this makes
-- the triggers and views that run as gb_owner (agency_access upkeep,
-- serious-dishonesty consequences, history) work for them too.  Officer
-- roles are never superusers (admin officer add refuses them).
SET ROLE gb_owner;

CREATE FUNCTION gb.session_is_superuser() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) $$;

DO $$
DECLARE
	p record;
	su constant text := '(SELECT gb.session_is_superuser())';
BEGIN
	FOR p IN SELECT * FROM pg_policies WHERE schemaname = 'gb' AND policyname LIKE 'officer\_%' LOOP
		IF p.qual IS NOT NULL THEN
			EXECUTE format('ALTER POLICY %I ON gb.%I USING ((%s) OR %s)', p.policyname, p.tablename, p.qual, su);
		END IF;
		IF p.with_check IS NOT NULL THEN
			EXECUTE format('ALTER POLICY %I ON gb.%I WITH CHECK ((%s) OR %s)', p.policyname, p.tablename, p.with_check, su);
		END IF;
	END LOOP;
END $$;

-- A score whose evaluation the writer cannot see is left to the row policy
-- (permission denied), not reported as a wrong indicator.
CREATE OR REPLACE FUNCTION gb.tg_score_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	ind gb.indicator;
	ver bigint;
BEGIN
	SELECT indicator_version_id INTO ver FROM gb.evaluation WHERE id = NEW.evaluation_id;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	SELECT * INTO ind FROM gb.indicator WHERE id = NEW.indicator_id;
	IF ind.version_id IS DISTINCT FROM ver OR ind.level <> 3 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('指标 %s 不是本次评价所用指标体系的考核内容（第三级）', ind.code);
	END IF;
	IF NEW.self_score > ind.max_score THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('自评分 %s 超过指标 %s“%s”的满分 %s', NEW.self_score, ind.code, ind.title, ind.max_score);
	END IF;
	IF NEW.acceptance_score > ind.max_score THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('验收分 %s 超过指标 %s“%s”的满分 %s', NEW.acceptance_score, ind.code, ind.title, ind.max_score);
	END IF;
	RETURN NEW;
END $$;

-- The lookback as a timestamp too (date minus interval), as
-- rules_gb_acceptance passes it.
CREATE FUNCTION gb.serious_dishonesty_since(eid bigint, since timestamp) RETURNS gb.credit_check
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT gb.serious_dishonesty_since(eid, since::date) $$;

RESET ROLE;

-- Any login may reach the schema, so that one that is not an officer gets
-- GB001 from gb.current_officer() rather than a bare permission error; the
-- tables stay granted to the officer groups only.
GRANT USAGE ON SCHEMA gb TO PUBLIC;
