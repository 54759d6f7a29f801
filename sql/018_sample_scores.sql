-- 018: the sample's evaluations.  Every sample case that reached
-- self-assessment (贯标 implementing with the internal evaluation done,
-- acceptance requested) or acceptance (rectifying, passed, failed; 示范
-- evaluated and after) gets a gb.evaluation on its year's indicator
-- version with a self score per leaf and, from acceptance on, an
-- acceptance score per leaf with a few findings.  The case's score is the
-- sum of its leaf acceptance scores, at or above the year's pass score
-- exactly when the case passed.  Deterministic for a seed, set-based.
-- The indicator version comes from the year, else from the newest sample
-- version (`guanbiao admin sample` loads contrib/indicators-sample.csv,
-- marked as a sample, when there is neither); with none, no evaluations.

-- The version the sample scores the current programme year against: the
-- year's own, else the newest sample version; NULL when neither exists.
CREATE FUNCTION gb.sample_indicator_version() RETURNS bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT coalesce(
		(SELECT p.indicator_version_id FROM gb.programme_year p WHERE NOT p.is_sample ORDER BY p.year DESC LIMIT 1),
		(SELECT v.id FROM gb.indicator_version v WHERE v.is_sample ORDER BY v.id DESC LIMIT 1))
$$;

-- Spread each target total over the leaves of its version: for
-- evaluation ids[k] on versions[k] with target targets[k], one score per
-- leaf, within the leaf's maximum, summing exactly to the target (clamped
-- to [0, version total]).  Each leaf starts near its maximum times the
-- target's share of the total, with jitter; the rounding difference is
-- then added to (or taken from) leaves in hash order, each only up to its
-- room, which always suffices because the target is within the total.
CREATE FUNCTION gb.sample_spread(seed int, salt int, ids bigint[], versions bigint[], targets numeric[])
RETURNS TABLE (evaluation_id bigint, indicator_id bigint, score numeric)
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	WITH t AS (
		SELECT x.id, x.version_id, greatest(0, least(v.total_score, x.target)) AS target, v.total_score AS total
		FROM unnest(ids, versions, targets) AS x(id, version_id, target)
		JOIN gb.indicator_version v ON v.id = x.version_id),
	raw AS (
		SELECT t.id, i.id AS indicator_id, i.max_score AS m, t.target,
		       least(i.max_score, floor(i.max_score * greatest(0, least(1,
			       t.target / t.total + (gb.sample_rnd(seed, t.id * 1000 + i.sort_order, salt)::numeric - 0.5) * 0.4)))) AS r,
		       gb.sample_rnd(seed, t.id * 1000 + i.sort_order, salt + 1) AS o
		FROM t JOIN gb.indicator i ON i.version_id = t.version_id AND i.level = 3),
	d AS (
		SELECT raw.*, raw.target - sum(raw.r) OVER (PARTITION BY raw.id) AS diff,
		       coalesce(sum(raw.m - raw.r) OVER w, 0) AS room_before,
		       coalesce(sum(raw.r) OVER w, 0) AS have_before
		FROM raw
		WINDOW w AS (PARTITION BY raw.id ORDER BY raw.o, raw.indicator_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
	SELECT d.id, d.indicator_id,
	       CASE WHEN d.diff >= 0 THEN d.r + least(d.m - d.r, greatest(0, d.diff - d.room_before))
		    ELSE d.r - least(d.r, greatest(0, -d.diff - d.have_before)) END
	FROM d
$$;

-- Evaluations for the sample cases (see the head of this file); called
-- by gb.sample_cases inside gb.admin_sample (triggers off).  Years holding
-- sample cases without an indicator version get gb.sample_indicator_version().
-- Returns the number of evaluations written.
CREATE FUNCTION gb.sample_evaluations(seed int) RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	v bigint := gb.sample_indicator_version();
	n int;
	self_notes constant text[] := ARRAY['已形成文件并经总经理签发', '已按制度执行，留有记录',
		'部分记录尚待补充', '已建立台账，按月更新', '已组织全员学习'];
	acc_notes constant text[] := ARRAY['制度已建立，但执行记录不完整', '未提供相关证明材料',
		'台账更新不及时', '职责分工未形成文件', '部分客户未建立信用档案', '与业务部门衔接不足'];
BEGIN
	IF v IS NULL THEN
		RETURN 0;
	END IF;
	UPDATE gb.programme_year p SET indicator_version_id = v
	WHERE p.indicator_version_id IS NULL
	  AND (EXISTS (SELECT 1 FROM gb.gb_case c WHERE c.year = p.year)
	       OR EXISTS (SELECT 1 FROM gb.demo_case d WHERE d.year = p.year));
	-- About half of the implementing cases have done their internal
	-- evaluation (and so the checklist items before it): they self-assess.
	UPDATE gb.gb_case c SET internal_evaluation_done = true, department_defined = true,
		dedicated_staff = coalesce(c.dedicated_staff, e.contact_name)
	FROM gb.enterprise e
	WHERE e.id = c.enterprise_id AND c.state = 'implementing' AND NOT c.internal_evaluation_done
	  AND gb.sample_rnd(seed, c.id, 60) < 0.5;

	-- Targets: acceptance totals by state around the year's pass score;
	-- self totals a little above them (or free before acceptance).
	CREATE TEMP TABLE sample_eval ON COMMIT DROP AS
	SELECT x.*, CASE WHEN x.acc IS NOT NULL
			 THEN least(x.total, x.acc + floor((x.total - x.acc) * (0.1 + 0.3 * gb.sample_rnd(seed, x.case_id, x.salt + 1))))
			 ELSE floor(x.total * (0.6 + 0.3 * gb.sample_rnd(seed, x.case_id, x.salt + 1))) END::numeric AS self
	FROM (SELECT 'gb'::text AS kind, c.id AS case_id, iv.id AS version_id, iv.total_score AS total, 62 AS salt,
		     CASE c.state
			  WHEN 'passed' THEN least(iv.total_score, ceil(p.gb_pass_score)
				+ floor((iv.total_score - ceil(p.gb_pass_score)) * (0.1 + 0.75 * gb.sample_rnd(seed, c.id, 61))))
			  WHEN 'failed' THEN floor(p.gb_pass_score * (0.62 + 0.33 * gb.sample_rnd(seed, c.id, 61)))
			  WHEN 'rectifying' THEN floor(p.gb_pass_score * (0.85 + 0.14 * gb.sample_rnd(seed, c.id, 61))) END::numeric AS acc,
		     CASE WHEN c.state IN ('passed', 'failed', 'rectifying') THEN c.decided_on
			  WHEN c.state = 'acceptance_requested' THEN c.acceptance_requested_on - 3
			  ELSE c.started_on + 60 END AS evaluated_on,
		     CASE WHEN c.state IN ('passed', 'failed', 'rectifying') THEN '昆山市信用办贯标验收组' ELSE '企业自评' END AS evaluator
	      FROM gb.gb_case c
	      JOIN gb.programme_year p ON p.year = c.year
	      JOIN gb.indicator_version iv ON iv.id = p.indicator_version_id
	      WHERE c.state IN ('acceptance_requested', 'rectifying', 'passed', 'failed')
		 OR (c.state = 'implementing' AND c.internal_evaluation_done)
	      UNION ALL
	      SELECT 'demo', d.id, iv.id, iv.total_score, 64,
		     least(iv.total_score, ceil(p.demo_pass_score)
			   + floor((iv.total_score - ceil(p.demo_pass_score)) * (0.1 + 0.8 * gb.sample_rnd(seed, d.id, 63))))::numeric,
		     d.evaluated_on, '苏州市信用办现场评价组'
	      FROM gb.demo_case d
	      JOIN gb.programme_year p ON p.year = d.year
	      JOIN gb.indicator_version iv ON iv.id = p.indicator_version_id
	      WHERE d.evaluated_on IS NOT NULL) x
	WHERE NOT EXISTS (SELECT 1 FROM gb.evaluation e
			  WHERE CASE x.kind WHEN 'gb' THEN e.gb_case_id ELSE e.demo_case_id END = x.case_id);

	INSERT INTO gb.evaluation (gb_case_id, demo_case_id, indicator_version_id, evaluated_on, evaluator,
				   version, updated_at, updated_by)
	SELECT CASE WHEN s.kind = 'gb' THEN s.case_id END, CASE WHEN s.kind = 'demo' THEN s.case_id END,
	       s.version_id, s.evaluated_on, s.evaluator, 1, s.evaluated_on + time '16:00', session_user
	FROM sample_eval s ORDER BY s.kind DESC, s.case_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	ALTER TABLE sample_eval ADD COLUMN evaluation_id bigint;
	UPDATE sample_eval s SET evaluation_id = e.id FROM gb.evaluation e
	WHERE CASE s.kind WHEN 'gb' THEN e.gb_case_id ELSE e.demo_case_id END = s.case_id;

	INSERT INTO gb.evaluation_score (evaluation_id, indicator_id, self_score, self_finding,
					 acceptance_score, acceptance_finding, version, updated_at, updated_by)
	SELECT f.evaluation_id, f.indicator_id, f.score,
	       CASE WHEN gb.sample_rnd(seed, f.evaluation_id * 1000 + i.sort_order, 65) < 0.12
		    THEN gb.sample_pick(self_notes, gb.sample_rnd(seed, f.evaluation_id * 1000 + i.sort_order, 66)) END,
	       a.score,
	       CASE WHEN a.score < i.max_score * 0.6 THEN gb.sample_pick(acc_notes, gb.sample_rnd(seed, f.evaluation_id * 1000 + i.sort_order, 67))
		    WHEN a.score = i.max_score AND gb.sample_rnd(seed, f.evaluation_id * 1000 + i.sort_order, 68) < 0.1 THEN '符合要求' END,
	       1, s.evaluated_on + time '16:00', session_user
	FROM gb.sample_spread(seed, 70, (SELECT array_agg(evaluation_id) FROM sample_eval),
			      (SELECT array_agg(version_id) FROM sample_eval), (SELECT array_agg(self) FROM sample_eval)) f
	JOIN sample_eval s ON s.evaluation_id = f.evaluation_id
	JOIN gb.indicator i ON i.id = f.indicator_id
	LEFT JOIN gb.sample_spread(seed, 72, (SELECT array_agg(evaluation_id) FROM sample_eval WHERE acc IS NOT NULL),
				   (SELECT array_agg(version_id) FROM sample_eval WHERE acc IS NOT NULL),
				   (SELECT array_agg(acc) FROM sample_eval WHERE acc IS NOT NULL)) a
		ON a.evaluation_id = f.evaluation_id AND a.indicator_id = f.indicator_id
	ORDER BY f.evaluation_id, i.sort_order;

	-- The cases' scores are their leaves' sums.
	UPDATE gb.gb_case c SET acceptance_score = t.total
	FROM (SELECT s.case_id, sum(x.acceptance_score) AS total FROM sample_eval s
	      JOIN gb.evaluation_score x ON x.evaluation_id = s.evaluation_id
	      WHERE s.kind = 'gb' AND s.acc IS NOT NULL GROUP BY s.case_id) t
	WHERE c.id = t.case_id;
	UPDATE gb.demo_case d SET evaluation_score = t.total
	FROM (SELECT s.case_id, sum(x.acceptance_score) AS total FROM sample_eval s
	      JOIN gb.evaluation_score x ON x.evaluation_id = s.evaluation_id
	      WHERE s.kind = 'demo' GROUP BY s.case_id) t
	WHERE d.id = t.case_id;
	DROP TABLE sample_eval;
	RETURN n;
END $$;

-- The case generator of 014, followed by the evaluations.
ALTER FUNCTION gb.sample_cases(bigint, int) RENAME TO sample_cases_014;

CREATE FUNCTION gb.sample_cases(first_id bigint, seed int) RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n int := gb.sample_cases_014(first_id, seed);
BEGIN
	PERFORM gb.sample_evaluations(seed);
	RETURN n;
END $$;

REVOKE EXECUTE ON FUNCTION gb.sample_indicator_version(), gb.sample_spread(int, int, bigint[], bigint[], numeric[]),
	gb.sample_evaluations(int), gb.sample_cases(bigint, int), gb.sample_cases_014(bigint, int) FROM PUBLIC;
