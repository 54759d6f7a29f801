-- 001: roles, schema gb, USCC functions and every table of DOMAIN.md §3.
-- Runs as the superuser in one transaction; objects are created as the
-- NOLOGIN role gb_owner so that nobody who logs in owns them.

-- Group roles are cluster-wide: create them only when missing.
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['gb_owner', 'gb_stats', 'gb_city', 'gb_district',
				 'gb_agency', 'gb_observer'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS', r);
		END IF;
	END LOOP;
END $$;

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE SCHEMA gb AUTHORIZATION gb_owner;
-- gb_stats owns the aggregate views (reads every row, shows only counts).
GRANT USAGE ON SCHEMA gb TO gb_stats, gb_city, gb_district, gb_agency, gb_observer;

SET ROLE gb_owner;

-- ---------------------------------------------------------------- USCC
-- Value of each character of the USCC alphabet is its 0-based position.
CREATE FUNCTION gb.uscc_alphabet() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY'::text $$;

-- Check character (18th) for the first 17 characters; NULL when fewer than
-- 17 characters or one is outside the alphabet.  Lower case accepted.
CREATE FUNCTION gb.uscc_check_char(code text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog
AS $$
DECLARE
	alpha constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	w constant int[] := ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28];
	s int := 0;
	v int;
	u text := upper(code);
BEGIN
	IF length(u) < 17 THEN
		RETURN NULL;
	END IF;
	FOR i IN 1..17 LOOP
		v := strpos(alpha, substr(u, i, 1)) - 1;
		IF v < 0 THEN
			RETURN NULL;
		END IF;
		s := s + v * w[i];
	END LOOP;
	RETURN substr(alpha, (31 - s % 31) % 31 + 1, 1);
END $$;

-- True when code is a well-formed USCC with the right check character.
CREATE FUNCTION gb.uscc_valid(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT length(code) = 18
	AND gb.uscc_check_char(code) IS NOT DISTINCT FROM upper(substr(code, 18, 1)) $$;

-- Chinese explanation of what is wrong with code, or NULL when it is valid:
-- names the length, the first bad character and its position, or the
-- expected check character.
CREATE FUNCTION gb.uscc_problem(code text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$
DECLARE
	u text := upper(coalesce(code, ''));
	c text;
	expect text;
BEGIN
	IF u = '' THEN
		RETURN '统一社会信用代码不能为空';
	END IF;
	FOR i IN 1..least(length(u), 18) LOOP
		c := substr(u, i, 1);
		IF strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', c) = 0 THEN
			RETURN format('统一社会信用代码第 %s 位字符“%s”无效（只能是数字和除 I、O、S、V、Z 以外的大写字母）', i, c);
		END IF;
	END LOOP;
	IF length(u) <> 18 THEN
		RETURN format('统一社会信用代码应为 18 位，现为 %s 位', length(u));
	END IF;
	expect := gb.uscc_check_char(u);
	IF expect <> substr(u, 18, 1) THEN
		RETURN format('统一社会信用代码校验位错误：第 18 位应为“%s”，现为“%s”', expect, substr(u, 18, 1));
	END IF;
	RETURN NULL;
END $$;

-- Check character (9th) of the 9-character organisation code (USCC chars
-- 9-17 are the code and its own check); NULL when a character is invalid.
CREATE FUNCTION gb.org_code_check_char(code8 text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog
AS $$
DECLARE
	alpha constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
	w constant int[] := ARRAY[3,7,9,10,5,8,4,2];
	s int := 0;
	v int;
	c int;
BEGIN
	IF length(code8) < 8 THEN
		RETURN NULL;
	END IF;
	FOR i IN 1..8 LOOP
		v := strpos(alpha, upper(substr(code8, i, 1))) - 1;
		IF v < 0 THEN
			RETURN NULL;
		END IF;
		s := s + v * w[i];
	END LOOP;
	c := 11 - s % 11;
	RETURN CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
END $$;

-- Warning (not an error) when the organisation code inside a valid USCC
-- fails its own check; NULL otherwise.
CREATE FUNCTION gb.uscc_org_warning(code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN gb.org_code_check_char(substr(upper(code), 9, 8))
			IS DISTINCT FROM upper(substr(code, 17, 1))
		THEN format('提醒：组织机构代码（第 9-17 位）的校验位应为“%s”，现为“%s”',
			    gb.org_code_check_char(substr(upper(code), 9, 8)), upper(substr(code, 17, 1)))
		END $$;

-- ---------------------------------------------------------------- reference data
-- Chinese labels of columns, for messages and the activity view.
CREATE TABLE gb.field_label (
	table_name text NOT NULL,
	column_name text NOT NULL,
	label text NOT NULL,
	PRIMARY KEY (table_name, column_name)
);

-- Workflow states of each kind of case ('gb' = 贯标, 'demo' = 示范).
CREATE TABLE gb.wf_state (
	kind text NOT NULL CHECK (kind IN ('gb', 'demo')),
	code text NOT NULL,
	label text NOT NULL,
	sort_order int NOT NULL,
	is_open boolean NOT NULL,	-- false: the case is finished
	PRIMARY KEY (kind, code)
);

CREATE TABLE gb.wf_action (
	kind text NOT NULL CHECK (kind IN ('gb', 'demo')),
	code text NOT NULL,
	label text NOT NULL,
	note_required boolean NOT NULL DEFAULT false,
	in_queue boolean NOT NULL DEFAULT false,	-- shown in the work queue
	PRIMARY KEY (kind, code)
);

-- The state machines, held as data: who may take which action from which
-- state, and where it leads.  deadline_code names the programme-year
-- deadline the action is due by (for the work queue).
CREATE TABLE gb.wf_transition (
	kind text NOT NULL,
	from_state text NOT NULL,
	action text NOT NULL,
	role text NOT NULL CHECK (role IN ('city', 'district', 'agency')),
	to_state text NOT NULL,
	deadline_code text,
	PRIMARY KEY (kind, from_state, action, role),
	FOREIGN KEY (kind, from_state) REFERENCES gb.wf_state,
	FOREIGN KEY (kind, to_state) REFERENCES gb.wf_state,
	FOREIGN KEY (kind, action) REFERENCES gb.wf_action
);

-- Kinds of material each programme needs (DOMAIN.md §4).
CREATE TABLE gb.material_kind (
	programme text NOT NULL CHECK (programme IN ('gb', 'demo')),
	code text NOT NULL,
	label text NOT NULL,
	sort_order int NOT NULL,
	required boolean NOT NULL DEFAULT true,
	PRIMARY KEY (programme, code)
);

-- ---------------------------------------------------------------- indicators
CREATE TABLE gb.indicator_version (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	is_sample boolean NOT NULL DEFAULT false,
	total_score numeric(8,2) NOT NULL CHECK (total_score > 0),
	note text,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT session_user
);

-- The three-level tree 项目 → 评价内容 → 考核内容 with maximum scores.
CREATE TABLE gb.indicator (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version_id bigint NOT NULL REFERENCES gb.indicator_version ON DELETE CASCADE,
	code text NOT NULL CHECK (btrim(code) <> ''),
	parent_code text,
	level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
	title text NOT NULL CHECK (btrim(title) <> ''),
	max_score numeric(8,2) NOT NULL CHECK (max_score > 0),
	sort_order int NOT NULL,
	UNIQUE (version_id, code),
	FOREIGN KEY (version_id, parent_code) REFERENCES gb.indicator (version_id, code),
	CHECK ((level = 1) = (parent_code IS NULL))
);

-- ---------------------------------------------------------------- programme
CREATE TABLE gb.programme_year (
	year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
	doc_no text NOT NULL,
	title text NOT NULL,
	gb_target int NOT NULL CHECK (gb_target >= 0),
	demo_suzhou_quota int NOT NULL DEFAULT 6 CHECK (demo_suzhou_quota >= 0),
	demo_province_quota int NOT NULL DEFAULT 1 CHECK (demo_province_quota >= 0),
	credit_report_valid_days int NOT NULL DEFAULT 90 CHECK (credit_report_valid_days > 0),
	indicator_version_id bigint REFERENCES gb.indicator_version,
	gb_pass_score numeric(8,2) NOT NULL DEFAULT 600 CHECK (gb_pass_score >= 0),
	demo_pass_score numeric(8,2) NOT NULL DEFAULT 800 CHECK (demo_pass_score >= 0),
	publicity_days int NOT NULL DEFAULT 7 CHECK (publicity_days >= 0),
	min_trainings int NOT NULL DEFAULT 2 CHECK (min_trainings >= 0),
	min_dedicated_staff int NOT NULL DEFAULT 1 CHECK (min_dedicated_staff >= 0),
	min_coaching_months int NOT NULL DEFAULT 6 CHECK (min_coaching_months >= 0),
	years_after_gb int NOT NULL DEFAULT 1 CHECK (years_after_gb >= 0),
	province_after_years int NOT NULL DEFAULT 2 CHECK (province_after_years >= 0),
	dishonesty_years int NOT NULL DEFAULT 3 CHECK (dishonesty_years >= 0),
	min_operating_years int NOT NULL DEFAULT 2 CHECK (min_operating_years >= 0),
	is_sample boolean NOT NULL DEFAULT false,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);

-- The calendar of a year (DOMAIN.md §5), one row per deadline.
CREATE TABLE gb.deadline (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	year int NOT NULL REFERENCES gb.programme_year ON DELETE CASCADE,
	code text NOT NULL,
	label text NOT NULL,
	due_on date NOT NULL,
	sort_order int NOT NULL DEFAULT 0,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	UNIQUE (year, code)
);

CREATE TABLE gb.district (
	id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]+$'),
	name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	kind text NOT NULL CHECK (kind IN ('开发区', '高新区', '镇')),
	sort_order int NOT NULL,
	active boolean NOT NULL DEFAULT true,
	stat_code text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);

CREATE TABLE gb.district_year (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	year int NOT NULL REFERENCES gb.programme_year,
	district_id int NOT NULL REFERENCES gb.district,
	quota_gb int NOT NULL CHECK (quota_gb >= 0),
	quota_demo int CHECK (quota_demo >= 0),	-- NULL: the 示范 figure is city-wide
	head_name text,
	head_phone text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	UNIQUE (year, district_id)
);

-- ---------------------------------------------------------------- agencies, officers
CREATE TABLE gb.agency (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	uscc text UNIQUE CHECK (uscc = upper(uscc) AND gb.uscc_valid(uscc)),
	contact_name text,
	contact_phone text,
	address text,
	active boolean NOT NULL DEFAULT true,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);

CREATE TABLE gb.agency_staff (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	agency_id bigint NOT NULL REFERENCES gb.agency,
	name text NOT NULL CHECK (btrim(name) <> ''),
	title text,
	phone text,
	active boolean NOT NULL DEFAULT true,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);

-- Officers: PostgreSQL login roles mapped to their role and scope.
CREATE TABLE gb.officer (
	login name PRIMARY KEY,
	id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	role text NOT NULL CHECK (role IN ('city', 'district', 'agency', 'observer')),
	district_id int REFERENCES gb.district,
	agency_id bigint REFERENCES gb.agency,
	name text NOT NULL CHECK (btrim(name) <> ''),
	phone text,
	active boolean NOT NULL DEFAULT true,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	CHECK ((role = 'district') = (district_id IS NOT NULL)),
	CHECK ((role = 'agency') = (agency_id IS NOT NULL))
);

-- ---------------------------------------------------------------- enterprises
CREATE TABLE gb.enterprise (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	uscc text NOT NULL UNIQUE CONSTRAINT enterprise_uscc_valid
		CHECK (uscc = upper(uscc) AND gb.uscc_valid(uscc)),
	name text NOT NULL CHECK (btrim(name) <> ''),
	district_id int NOT NULL REFERENCES gb.district,
	industry text NOT NULL DEFAULT '制造业' CHECK (industry IN ('制造业', '生产性服务业', '其他')),
	above_scale boolean NOT NULL DEFAULT false,
	established_on date,
	independent_legal_person boolean NOT NULL DEFAULT true,
	main_products text,
	sales_revenue_wan numeric(14,2) CHECK (sales_revenue_wan >= 0),
	sales_year int CHECK (sales_year BETWEEN 1949 AND 2100),
	employees int CHECK (employees > 0),
	contact_name text,
	contact_phone text,
	version int NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);
CREATE INDEX enterprise_name_id ON gb.enterprise (name, id);
CREATE INDEX enterprise_district_name ON gb.enterprise (district_id, name, id);
CREATE INDEX enterprise_name_trgm ON gb.enterprise USING gin (name public.gin_trgm_ops);
CREATE INDEX enterprise_products_trgm ON gb.enterprise USING gin (main_products public.gin_trgm_ops);
CREATE INDEX enterprise_contact_trgm ON gb.enterprise USING gin (contact_name public.gin_trgm_ops);

-- Contracts between an agency and an enterprise (fee paid by city finance).
CREATE TABLE gb.contract (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	agency_id bigint NOT NULL REFERENCES gb.agency,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	kind text NOT NULL CHECK (kind IN ('gb_consult', 'demo_coaching')),
	year int NOT NULL REFERENCES gb.programme_year,
	signed_on date NOT NULL,
	starts_on date NOT NULL,
	ends_on date,
	filed_on date,		-- filed with the city (coaching contracts)
	fee_wan numeric(10,2) CHECK (fee_wan >= 0),
	note text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	CHECK (ends_on IS NULL OR ends_on >= starts_on),
	CHECK (filed_on IS NULL OR filed_on >= signed_on)
);
CREATE INDEX contract_enterprise ON gb.contract (enterprise_id);
CREATE INDEX contract_agency ON gb.contract (agency_id, enterprise_id);

-- Which agency may see which enterprise: derived from contracts by a
-- trigger, so that the enterprise policy need not read gb.contract (whose
-- own policy reads gb.enterprise).
CREATE TABLE gb.agency_access (
	agency_id bigint NOT NULL REFERENCES gb.agency,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	PRIMARY KEY (agency_id, enterprise_id)
);

-- 上门服务.
CREATE TABLE gb.visit (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	contract_id bigint NOT NULL REFERENCES gb.contract,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	visited_on date NOT NULL,
	staff_name text,
	summary text NOT NULL CHECK (btrim(summary) <> ''),
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);
CREATE INDEX visit_enterprise ON gb.visit (enterprise_id);

-- 社会法人信用信息查询报告.
CREATE TABLE gb.credit_check (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	stage text NOT NULL CHECK (stage IN ('gb_apply', 'gb_acceptance', 'demo_apply', 'supervision')),
	report_no text,
	issued_on date NOT NULL,
	source text NOT NULL CHECK (source IN ('江苏省公共信用信息中心', '苏州市公共信用信息中心')),
	serious_dishonesty boolean NOT NULL DEFAULT false,
	finding text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	CHECK (NOT serious_dishonesty OR btrim(coalesce(finding, '')) <> '')
);
CREATE INDEX credit_check_enterprise ON gb.credit_check (enterprise_id, issued_on);

-- ---------------------------------------------------------------- 贯标 cases
CREATE TABLE gb.gb_case (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	year int NOT NULL REFERENCES gb.programme_year,
	state text NOT NULL DEFAULT 'draft',
	kind text NOT NULL DEFAULT 'gb' CHECK (kind = 'gb'),
	management_committed boolean NOT NULL DEFAULT false,
	working_group_formed boolean NOT NULL DEFAULT false,
	work_plan_done boolean NOT NULL DEFAULT false,
	dedicated_staff text,		-- names, separated by 、
	department_defined boolean NOT NULL DEFAULT false,
	internal_evaluation_done boolean NOT NULL DEFAULT false,
	applied_on date,
	submitted_on date,
	enrolled_on date,
	started_on date,
	acceptance_requested_on date,
	decided_on date,		-- passed, failed or rectification ordered
	passed_on date,
	acceptance_score numeric(8,2) CHECK (acceptance_score >= 0),
	opinion text,
	override_reason text,		-- quota exceeded with the city's reason
	note text,
	-- Set only by the action functions: the history trigger records them.
	last_action text,
	last_note text,
	state_changed_at timestamptz NOT NULL DEFAULT now(),
	version int NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	UNIQUE (enterprise_id, year),
	FOREIGN KEY (kind, state) REFERENCES gb.wf_state (kind, code),
	CHECK (submitted_on IS NULL OR applied_on IS NULL OR submitted_on >= applied_on),
	CHECK (enrolled_on IS NULL OR submitted_on IS NULL OR enrolled_on >= submitted_on),
	CHECK (started_on IS NULL OR enrolled_on IS NULL OR started_on >= enrolled_on),
	CHECK (acceptance_requested_on IS NULL OR started_on IS NULL OR acceptance_requested_on >= started_on),
	CHECK (passed_on IS NULL OR acceptance_requested_on IS NULL OR passed_on >= acceptance_requested_on),
	CHECK (state <> 'passed' OR passed_on IS NOT NULL)
);
CREATE INDEX gb_case_year_state ON gb.gb_case (year, state);

CREATE TABLE gb.training (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	gb_case_id bigint NOT NULL REFERENCES gb.gb_case,
	held_on date NOT NULL,
	topic text NOT NULL CHECK (btrim(topic) <> ''),
	participants int CHECK (participants > 0),
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user
);
CREATE INDEX training_case ON gb.training (gb_case_id);

-- ---------------------------------------------------------------- 示范 cases
CREATE TABLE gb.demo_case (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	level text NOT NULL CHECK (level IN ('suzhou', 'province')),
	year int NOT NULL REFERENCES gb.programme_year,
	state text NOT NULL DEFAULT 'nominated',
	kind text NOT NULL DEFAULT 'demo' CHECK (kind = 'demo'),
	nominated_on date,
	pre_approved_on date,
	recommended_on date,
	coaching_started_on date,
	evaluated_on date,
	evaluation_score numeric(8,2) CHECK (evaluation_score >= 0),
	publicity_from date,
	publicity_to date,
	designated_on date,
	designation_doc_no text,
	rectify_by date,
	revoked_on date,
	override_reason text,
	note text,
	last_action text,
	last_note text,
	state_changed_at timestamptz NOT NULL DEFAULT now(),
	version int NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	FOREIGN KEY (kind, state) REFERENCES gb.wf_state (kind, code),
	CHECK (publicity_to IS NULL OR publicity_from IS NULL OR publicity_to >= publicity_from),
	CHECK (pre_approved_on IS NULL OR nominated_on IS NULL OR pre_approved_on >= nominated_on),
	CHECK (recommended_on IS NULL OR pre_approved_on IS NULL OR recommended_on >= pre_approved_on),
	CHECK (evaluated_on IS NULL OR coaching_started_on IS NULL OR evaluated_on >= coaching_started_on),
	CHECK (designated_on IS NULL OR publicity_from IS NULL OR designated_on >= publicity_from),
	CHECK (state <> 'designated' OR designated_on IS NOT NULL)
);
-- One open 示范 case per enterprise and level.
CREATE UNIQUE INDEX demo_case_one_open ON gb.demo_case (enterprise_id, level)
	WHERE state NOT IN ('rejected', 'revoked', 'withdrawn');
CREATE INDEX demo_case_year_state ON gb.demo_case (year, level, state);

-- Supervision events of a designated enterprise.
CREATE TABLE gb.demo_event (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	demo_case_id bigint NOT NULL REFERENCES gb.demo_case,
	kind text NOT NULL CHECK (kind IN ('finding', 'rectification', 'reinstatement', 'revocation', 'announcement')),
	occurred_on date NOT NULL,
	deadline_on date,
	outcome text,
	announcement_ref text,
	note text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	CHECK (deadline_on IS NULL OR deadline_on >= occurred_on)
);

-- ---------------------------------------------------------------- materials, evaluations
CREATE TABLE gb.material (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	programme text NOT NULL CHECK (programme IN ('gb', 'demo')),
	gb_case_id bigint REFERENCES gb.gb_case,
	demo_case_id bigint REFERENCES gb.demo_case,
	kind text NOT NULL,
	status text NOT NULL DEFAULT 'missing' CHECK (status IN ('received', 'missing', 'not_applicable')),
	received_on date,
	ref text,
	note text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	FOREIGN KEY (programme, kind) REFERENCES gb.material_kind,
	CHECK ((programme = 'gb') = (gb_case_id IS NOT NULL)),
	CHECK ((programme = 'demo') = (demo_case_id IS NOT NULL)),
	CHECK ((status = 'received') = (received_on IS NOT NULL))
);
CREATE UNIQUE INDEX material_gb ON gb.material (gb_case_id, kind) WHERE gb_case_id IS NOT NULL;
CREATE UNIQUE INDEX material_demo ON gb.material (demo_case_id, kind) WHERE demo_case_id IS NOT NULL;

CREATE TABLE gb.evaluation (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	gb_case_id bigint REFERENCES gb.gb_case,
	demo_case_id bigint REFERENCES gb.demo_case,
	indicator_version_id bigint NOT NULL REFERENCES gb.indicator_version,
	evaluated_on date,
	evaluator text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	CHECK (num_nonnulls(gb_case_id, demo_case_id) = 1)
);
CREATE UNIQUE INDEX evaluation_gb ON gb.evaluation (gb_case_id) WHERE gb_case_id IS NOT NULL;
CREATE UNIQUE INDEX evaluation_demo ON gb.evaluation (demo_case_id) WHERE demo_case_id IS NOT NULL;

-- Per-leaf self and acceptance scores (leaf and maximum checked by trigger).
CREATE TABLE gb.evaluation_score (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	evaluation_id bigint NOT NULL REFERENCES gb.evaluation ON DELETE CASCADE,
	indicator_id bigint NOT NULL REFERENCES gb.indicator,
	self_score numeric(8,2) CHECK (self_score >= 0),
	self_finding text,
	acceptance_score numeric(8,2) CHECK (acceptance_score >= 0),
	acceptance_finding text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	UNIQUE (evaluation_id, indicator_id)
);

CREATE TABLE gb.reward (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	enterprise_id bigint NOT NULL REFERENCES gb.enterprise,
	programme text NOT NULL CHECK (programme IN ('gb', 'demo_suzhou', 'demo_province')),
	year int NOT NULL REFERENCES gb.programme_year,
	amount_wan numeric(10,2) NOT NULL CHECK (amount_wan >= 0),
	decided_on date,
	paid_on date,
	note text,
	version int NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by name NOT NULL DEFAULT session_user,
	UNIQUE (enterprise_id, programme, year),
	CHECK (paid_on IS NULL OR (decided_on IS NOT NULL AND paid_on >= decided_on))
);

-- ---------------------------------------------------------------- history
-- Append-only: who (the login role), when, which record, what, before/after.
CREATE TABLE gb.history (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	login name NOT NULL DEFAULT session_user,
	table_name text NOT NULL,
	record_id bigint,
	action text NOT NULL,
	from_state text,
	to_state text,
	before jsonb,
	after jsonb,
	note text,
	override_reason text,
	enterprise_id bigint,		-- for rights: whose record this is
	district_id int
);
CREATE INDEX history_record ON gb.history (table_name, record_id, id);
CREATE INDEX history_district ON gb.history (district_id, id);
CREATE INDEX history_enterprise ON gb.history (enterprise_id, id);
CREATE INDEX history_at ON gb.history (at);

RESET ROLE;
