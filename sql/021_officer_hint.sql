-- 021: `admin officer add --district X` on a database with no districts yet
-- (no programme loaded) failed with PostgreSQL's "RAISE statement option
-- cannot be null": the hint listing the existing districts was NULL.  The
-- hint now says that there are none and how to load them.  The rest of the
-- function is 006's, unchanged (CREATE OR REPLACE keeps owner and grants).
CREATE OR REPLACE FUNCTION gb.admin_officer_add(login text, role text, district text, agency text, name text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	did int;
	aid bigint;
	r pg_roles;
	created boolean := false;
	g text;
BEGIN
	IF login IS NULL OR login !~ '^[a-z_][a-z0-9_.-]*$' OR length(login) > 63 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('登录名 %s 无效（应为小写字母、数字、下划线，与系统用户名相同）', login);
	END IF;
	IF role IS NULL OR role NOT IN ('city', 'district', 'agency', 'observer') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('角色 %s 无效，应为 city、district、agency 或 observer', role);
	END IF;
	IF (role = 'district') <> (district IS NOT NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = CASE WHEN role = 'district' THEN '区镇工作人员需要 --district 区镇名'
				       ELSE '只有区镇工作人员（--role district）可以指定 --district' END;
	END IF;
	IF (role = 'agency') <> (agency IS NOT NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = CASE WHEN role = 'agency' THEN '服务机构人员需要 --agency 机构名'
				       ELSE '只有服务机构人员（--role agency）可以指定 --agency' END;
	END IF;
	IF district IS NOT NULL THEN
		SELECT id INTO did FROM gb.district d WHERE d.name = district OR d.code = district;
		IF did IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB006',
				MESSAGE = format('没有名为 %s 的区镇', district),
				HINT = coalesce((SELECT '现有区镇：' || string_agg(d.name, '、' ORDER BY d.sort_order) FROM gb.district d),
					       '数据库里还没有区镇：先运行 guanbiao admin programme load-2020');
		END IF;
	END IF;
	IF agency IS NOT NULL THEN
		SELECT id INTO aid FROM gb.agency a WHERE a.name = agency;
		IF aid IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('没有名为 %s 的服务机构', agency);
		END IF;
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = login;
	IF NOT FOUND THEN
		EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', login);
		created := true;
	ELSIF r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolname LIKE 'gb\_%' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('%s 是超级用户、可绕过行级安全或管理角色，不能登记为工作人员', login);
	END IF;
	FOREACH g IN ARRAY ARRAY['gb_city', 'gb_district', 'gb_agency', 'gb_observer'] LOOP
		IF g = 'gb_' || role THEN
			EXECUTE format('GRANT %I TO %I', g, login);
		ELSIF pg_has_role(login, g, 'MEMBER') THEN
			EXECUTE format('REVOKE %I FROM %I', g, login);
		END IF;
	END LOOP;
	INSERT INTO gb.officer AS o (login, role, district_id, agency_id, name, active)
	VALUES (login, role, did, aid, coalesce(nullif(btrim(name), ''), login), true)
	ON CONFLICT ON CONSTRAINT officer_pkey DO UPDATE
	SET role = excluded.role, district_id = excluded.district_id, agency_id = excluded.agency_id,
	    name = CASE WHEN btrim(coalesce($5, '')) = '' THEN o.name ELSE excluded.name END,
	    active = true;
	RETURN format('%s %s：%s%s', CASE WHEN created THEN '已创建登录角色并登记' ELSE '已登记' END,
		      login, gb.role_label(role), coalesce('（' || coalesce(district, agency) || '）', ''));
END $$;
