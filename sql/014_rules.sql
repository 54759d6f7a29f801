-- 014: materials with their own validity dates, the view gb.v_material,
-- and the rules that need every material in (贯标 acceptance, 示范 on-site
-- evaluation) refusing expired ones too.
SET ROLE gb_owner;

-- ---------------------------------------------------------------- materials: validity
-- A material is issued on a date and may be valid until a date (the
-- credit report: DOMAIN.md §4 "a valid 社会法人信用信息查询报告").
ALTER TABLE gb.material
	ADD COLUMN issued_on date,
	ADD COLUMN valid_until date,
	ADD CONSTRAINT material_valid_after_issued
		CHECK (valid_until IS NULL OR issued_on IS NULL OR valid_until >= issued_on);

-- Default validity of a kind in days from its issue date (NULL: does not
-- expire).  For the credit report the programme year's
-- credit_report_valid_days wins (see gb.material_valid_days).
ALTER TABLE gb.material_kind ADD COLUMN valid_days int CHECK (valid_days > 0);
UPDATE gb.material_kind SET valid_days = 90 WHERE code = 'credit_report';

INSERT INTO gb.field_label (table_name, column_name, label) VALUES
	('material', 'issued_on', '出具日期'),
	('material', 'valid_until', '有效期至')
ON CONFLICT DO NOTHING;

-- Days a material of kind k of a case of year y stays valid, or NULL.
CREATE FUNCTION gb.material_valid_days(prog text, k text, y int) RETURNS int
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT CASE WHEN k = 'credit_report'
		    THEN coalesce((SELECT credit_report_valid_days FROM gb.programme_year WHERE year = y), mk.valid_days)
		    ELSE mk.valid_days END
	FROM gb.material_kind mk WHERE mk.programme = prog AND mk.code = k
$$;

-- The year of the case a material belongs to.
CREATE FUNCTION gb.material_case_year(m gb.material) RETURNS int
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT coalesce((SELECT year FROM gb.gb_case WHERE id = m.gb_case_id),
			(SELECT year FROM gb.demo_case WHERE id = m.demo_case_id))
$$;

-- Fill valid_until from the kind's validity when an issue date is given
-- without one (and follow a changed issue date when valid_until was the
-- default), and name the field when the dates are not in order.
CREATE FUNCTION gb.tg_material_dates() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	days int;
BEGIN
	IF NEW.issued_on IS NOT NULL THEN
		days := gb.material_valid_days(NEW.programme, NEW.kind, gb.material_case_year(NEW));
	END IF;
	IF days IS NOT NULL THEN
		IF NEW.valid_until IS NULL AND (TG_OP = 'INSERT' OR OLD.valid_until IS NULL
						OR NEW.issued_on IS DISTINCT FROM OLD.issued_on) THEN
			NEW.valid_until := NEW.issued_on + days - 1;
		ELSIF TG_OP = 'UPDATE' AND NEW.issued_on IS DISTINCT FROM OLD.issued_on
		      AND NEW.valid_until IS NOT DISTINCT FROM OLD.valid_until
		      AND OLD.valid_until = OLD.issued_on + days - 1 THEN
			NEW.valid_until := NEW.issued_on + days - 1;
		END IF;
	END IF;
	IF NEW.valid_until < NEW.issued_on THEN
		PERFORM gb.field_error('material', 'valid_until',
			format('不能早于出具日期（出具 %s，有效期至 %s）', NEW.issued_on, NEW.valid_until));
	END IF;
	IF NEW.issued_on > current_date THEN
		PERFORM gb.field_error('material', 'issued_on', format('不能晚于今天（%s）', NEW.issued_on));
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER material_dates BEFORE INSERT OR UPDATE ON gb.material
	FOR EACH ROW EXECUTE FUNCTION gb.tg_material_dates();

-- 'valid' | 'expired' | 'missing' | 'not_applicable' of a material as of
-- today: received and not past valid_until is valid.
CREATE FUNCTION gb.material_validity(status text, valid_until date) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT CASE WHEN status = 'not_applicable' THEN 'not_applicable'
		  WHEN status IS DISTINCT FROM 'received' THEN 'missing'
		  WHEN valid_until < current_date THEN 'expired'
		  ELSE 'valid' END $$;

CREATE FUNCTION gb.validity_label(v text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE v WHEN 'valid' THEN '有效' WHEN 'expired' THEN '已过期'
	WHEN 'missing' THEN '缺失' WHEN 'not_applicable' THEN '不适用' END $$;

-- Every material kind of every case the officer may see, recorded or not:
-- a kind without a row has id and version NULL, status 'missing' (or
-- 'not_applicable' when the kind is optional).
CREATE VIEW gb.v_material AS
SELECT m.id, x.programme, x.gb_case_id, x.demo_case_id, x.kind, x.kind_label,
       coalesce(m.status, CASE WHEN x.required THEN 'missing' ELSE 'not_applicable' END) AS status,
       m.received_on, m.issued_on, m.valid_until,
       gb.material_validity(coalesce(m.status, CASE WHEN x.required THEN 'missing' ELSE 'not_applicable' END),
			    m.valid_until) AS validity,
       gb.validity_label(gb.material_validity(coalesce(m.status, CASE WHEN x.required THEN 'missing' ELSE 'not_applicable' END),
					      m.valid_until)) AS validity_label,
       m.ref, m.note, m.version, x.sort_order, x.required
FROM (SELECT k.programme, c.id AS gb_case_id, NULL::bigint AS demo_case_id, k.code AS kind,
	     k.label AS kind_label, k.sort_order, k.required
      FROM gb.gb_case c JOIN gb.material_kind k ON k.programme = 'gb'
      UNION ALL
      SELECT k.programme, NULL::bigint, c.id, k.code, k.label, k.sort_order, k.required
      FROM gb.demo_case c JOIN gb.material_kind k ON k.programme = 'demo') x
LEFT JOIN gb.material m ON m.programme = x.programme AND m.kind = x.kind
	AND (m.gb_case_id = x.gb_case_id OR m.demo_case_id = x.demo_case_id);

GRANT SELECT ON gb.v_material TO gb_city, gb_district, gb_agency, gb_observer;

-- ---------------------------------------------------------------- rules: materials
-- The material rules of a case (programme 'gb' or 'demo'): every required
-- kind received ('materials'), and none of them past its validity
-- ('materials_valid', naming each expired material and its date).
CREATE FUNCTION gb.rules_materials(prog text, case_id bigint, what text)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	missing text;
	expired text;
BEGIN
	SELECT string_agg(k.label, '、' ORDER BY k.sort_order) FILTER (WHERE coalesce(m.status, 'missing') <> 'received'),
	       string_agg(format('%s（有效期至 %s）', regexp_replace(k.label, '^有效期内的', ''), m.valid_until), '、'
			  ORDER BY k.sort_order) FILTER (WHERE m.status = 'received' AND m.valid_until < current_date)
	INTO missing, expired
	FROM gb.material_kind k
	LEFT JOIN gb.material m ON m.programme = prog AND m.kind = k.code
		AND CASE prog WHEN 'gb' THEN m.gb_case_id ELSE m.demo_case_id END = case_id
	WHERE k.programme = prog AND k.required;
	rule := 'materials'; ok := missing IS NULL;
	reason := CASE WHEN ok THEN what || '材料齐全' ELSE format('缺少%s材料：%s', what, missing) END;
	RETURN NEXT;
	rule := 'materials_valid'; ok := expired IS NULL;
	reason := CASE WHEN ok THEN what || '材料均在有效期内' ELSE format('%s材料已过期：%s', what, expired) END;
	RETURN NEXT;
END $$;

-- 贯标 acceptance: the checklist rules of 003 with the material rules in
-- place of its 'materials' rule (same order, so the first failed rule is
-- still the message).
ALTER FUNCTION gb.rules_gb_acceptance(gb.gb_case, gb.programme_year)
	RENAME TO rules_gb_acceptance_003;

CREATE FUNCTION gb.rules_gb_acceptance(c gb.gb_case, p gb.programme_year)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT r.rule, r.ok, r.reason FROM (
		SELECT b.rule, b.ok, b.reason, b.n::numeric AS n
		FROM gb.rules_gb_acceptance_003(c, p) WITH ORDINALITY b(rule, ok, reason, n)
		WHERE b.rule <> 'materials'
		UNION ALL
		SELECT m.rule, m.ok, m.reason,
		       (SELECT b.n FROM gb.rules_gb_acceptance_003(c, p) WITH ORDINALITY b(rule, ok, reason, n)
			WHERE b.rule = 'materials') + m.n / 10.0
		FROM gb.rules_materials('gb', c.id, '验收') WITH ORDINALITY m(rule, ok, reason, n)) r
	ORDER BY r.n
$$;

-- 示范: the on-site evaluation examines the application materials
-- (DOMAIN.md §4), so 'evaluate' needs every one received and valid.
ALTER FUNCTION gb.demo_action_rules(gb.demo_case, text, text) RENAME TO demo_action_rules_003;

CREATE FUNCTION gb.demo_action_rules(c gb.demo_case, act text, override_reason text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF act = 'evaluate' THEN
		PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(r)) FROM gb.rules_materials('demo', c.id, '申报') r),
				   gb.level_label(c.level) || '现场评价条件');
	END IF;
	RETURN gb.demo_action_rules_003(c, act, override_reason);
END $$;

-- "Why not?" for 示范 targets also shows the material rules of the open
-- case of that level in that year, when there is one.
ALTER FUNCTION gb.explain(bigint, text, int) RENAME TO explain_003;

CREATE FUNCTION gb.explain(enterprise_id bigint, target text, year int)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	eid constant bigint := enterprise_id;
	y constant int := year;
	dm gb.demo_case;
BEGIN
	RETURN QUERY SELECT * FROM gb.explain_003(eid, target, y);
	IF target IN ('demo_suzhou', 'demo_province') THEN
		SELECT * INTO dm FROM gb.demo_case d
		WHERE d.enterprise_id = eid AND d.year = y AND d.level = substr(target, 6)
		  AND d.state NOT IN ('rejected', 'revoked', 'withdrawn')
		ORDER BY d.id DESC LIMIT 1;
		IF FOUND THEN
			RETURN QUERY SELECT * FROM gb.rules_materials('demo', dm.id, '申报');
		END IF;
	END IF;
END $$;

RESET ROLE;

-- ---------------------------------------------------------------- sample: material dates
-- The sample's received materials get an issue date a few days to three
-- weeks before receipt and, for kinds with a validity, valid_until from it
-- (judged today, the credit reports of the sample years show 已过期, the
-- other kinds, which do not expire, 有效).  Wraps the case generator of 007; runs inside admin_sample (triggers off).
ALTER FUNCTION gb.sample_cases(bigint, int) RENAME TO sample_cases_007;

CREATE FUNCTION gb.sample_cases(first_id bigint, seed int) RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n int := gb.sample_cases_007(first_id, seed);
BEGIN
	UPDATE gb.material m SET issued_on = m.received_on - 1 - floor(gb.sample_rnd(seed, m.id, 48) * 20)::int
	WHERE m.status = 'received' AND m.issued_on IS NULL;
	UPDATE gb.material m
	SET valid_until = m.issued_on + gb.material_valid_days(m.programme, m.kind, gb.material_case_year(m)) - 1
	WHERE m.status = 'received' AND m.valid_until IS NULL
	  AND gb.material_valid_days(m.programme, m.kind, gb.material_case_year(m)) IS NOT NULL;
	RETURN n;
END $$;

REVOKE EXECUTE ON FUNCTION gb.sample_cases(bigint, int) FROM PUBLIC;
