-- 010: speed for large samples (N up to 1,000,000): the USCC check
-- character as one expression instead of a loop of statements (same
-- results; it runs in the CHECK constraint of every enterprise), the
-- sample's USCC generator inlined as SQL, trigram indexes built after the
-- load.
SET ROLE gb_owner;

CREATE OR REPLACE FUNCTION gb.uscc_check_char(code text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog
AS $$
DECLARE
	alpha constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	u constant text := upper(code);
	-- 1-based positions in the alphabet; 0 for a character outside it
	p constant int[] := ARRAY[
		strpos(alpha, substr(u, 1, 1)),
		strpos(alpha, substr(u, 2, 1)),
		strpos(alpha, substr(u, 3, 1)),
		strpos(alpha, substr(u, 4, 1)),
		strpos(alpha, substr(u, 5, 1)),
		strpos(alpha, substr(u, 6, 1)),
		strpos(alpha, substr(u, 7, 1)),
		strpos(alpha, substr(u, 8, 1)),
		strpos(alpha, substr(u, 9, 1)),
		strpos(alpha, substr(u, 10, 1)),
		strpos(alpha, substr(u, 11, 1)),
		strpos(alpha, substr(u, 12, 1)),
		strpos(alpha, substr(u, 13, 1)),
		strpos(alpha, substr(u, 14, 1)),
		strpos(alpha, substr(u, 15, 1)),
		strpos(alpha, substr(u, 16, 1)),
		strpos(alpha, substr(u, 17, 1))];
BEGIN
	IF length(u) < 17 OR 0 = ANY (p) THEN
		RETURN NULL;
	END IF;
	-- weights 3^(i-1) mod 31; the values are positions - 1 (sum of weights 305)
	RETURN substr(alpha, (31 - (p[1] * 1 + p[2] * 3 + p[3] * 9 + p[4] * 27 + p[5] * 19 + p[6] * 26 + p[7] * 16 + p[8] * 17 + p[9] * 20 + p[10] * 29 + p[11] * 25 + p[12] * 13 + p[13] * 8 + p[14] * 24 + p[15] * 10 + p[16] * 30 + p[17] * 28 - 305) % 31) % 31 + 1, 1);
END $$;

RESET ROLE;

-- The sample's USCC generator as one SQL expression (inlined into the
-- generating INSERT): same codes as before, without a function call and a
-- loop per enterprise.  The organisation code's check character and the
-- USCC check character follow DOMAIN.md §6.
CREATE OR REPLACE FUNCTION gb.sample_uscc(n bigint, prefix text DEFAULT '91320583') RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT prefix || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 27512614111 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 887503681 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 28629151 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 923521 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 29791 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 961 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 31 % 31)::int + 1, 1) || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (((n * 295075153) % 852891037441) / 1 % 31)::int + 1, 1)
	|| substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (CASE (11 - ((ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 27512614111 % 31) + 1] * 3 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 887503681 % 31) + 1] * 7 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 28629151 % 31) + 1] * 9 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 923521 % 31) + 1] * 10 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 29791 % 31) + 1] * 5 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 961 % 31) + 1] * 8 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 31 % 31) + 1] * 4 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 1 % 31) + 1] * 2) % 11) WHEN 10 THEN 29 WHEN 11 THEN 0 ELSE (11 - ((ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 27512614111 % 31) + 1] * 3 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 887503681 % 31) + 1] * 7 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 28629151 % 31) + 1] * 9 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 923521 % 31) + 1] * 10 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 29791 % 31) + 1] * 5 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 961 % 31) + 1] * 8 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 31 % 31) + 1] * 4 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 1 % 31) + 1] * 2) % 11) END)::int + 1, 1)
	|| substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (31 - ((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 1, 1)) - 1) * 1 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 2, 1)) - 1) * 3 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 3, 1)) - 1) * 9 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 4, 1)) - 1) * 27 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 5, 1)) - 1) * 19 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 6, 1)) - 1) * 26 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 7, 1)) - 1) * 16 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(prefix, 8, 1)) - 1) * 17 + (((n * 295075153) % 852891037441) / 27512614111 % 31) * 20 + (((n * 295075153) % 852891037441) / 887503681 % 31) * 29 + (((n * 295075153) % 852891037441) / 28629151 % 31) * 25 + (((n * 295075153) % 852891037441) / 923521 % 31) * 13 + (((n * 295075153) % 852891037441) / 29791 % 31) * 8 + (((n * 295075153) % 852891037441) / 961 % 31) * 24 + (((n * 295075153) % 852891037441) / 31 % 31) * 10 + (((n * 295075153) % 852891037441) / 1 % 31) * 30 + (CASE (11 - ((ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 27512614111 % 31) + 1] * 3 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 887503681 % 31) + 1] * 7 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 28629151 % 31) + 1] * 9 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 923521 % 31) + 1] * 10 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 29791 % 31) + 1] * 5 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 961 % 31) + 1] * 8 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 31 % 31) + 1] * 4 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 1 % 31) + 1] * 2) % 11) WHEN 10 THEN 29 WHEN 11 THEN 0 ELSE (11 - ((ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 27512614111 % 31) + 1] * 3 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 887503681 % 31) + 1] * 7 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 28629151 % 31) + 1] * 9 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 923521 % 31) + 1] * 10 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 29791 % 31) + 1] * 5 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 961 % 31) + 1] * 8 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 31 % 31) + 1] * 4 + (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,25,26,27,29,30,32,33,34])[(((n * 295075153) % 852891037441) / 1 % 31) + 1] * 2) % 11) END) * 28) % 31)::int % 31 + 1, 1) $$;

-- The whole sample, as in 007, with the trigram indexes rebuilt after a
-- large load instead of maintained during it.
CREATE OR REPLACE FUNCTION gb.admin_sample(n int, seed int) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	first_id bigint;
	ncases int;
	loaded text := '';
BEGIN
	IF n IS NULL OR n < 1 OR n > 10000000 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('企业数应在 1 到 10000000 之间（%s）', n);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM gb.programme_year WHERE NOT is_sample) THEN
		loaded := gb.admin_programme_load_2020() || '；';
	END IF;
	PERFORM set_config('session_replication_role', 'replica', true);
	PERFORM gb.sample_years();
	PERFORM gb.sample_agencies(seed);
	-- Trigram indexes are much cheaper built once than kept up row by row.
	IF n >= 50000 THEN
		DROP INDEX gb.enterprise_name_trgm, gb.enterprise_products_trgm, gb.enterprise_contact_trgm;
	END IF;
	first_id := gb.sample_enterprises(n, seed);
	IF n >= 50000 THEN
		CREATE INDEX enterprise_name_trgm ON gb.enterprise USING gin (name public.gin_trgm_ops);
		CREATE INDEX enterprise_products_trgm ON gb.enterprise USING gin (main_products public.gin_trgm_ops);
		CREATE INDEX enterprise_contact_trgm ON gb.enterprise USING gin (contact_name public.gin_trgm_ops);
	END IF;
	-- Cases only on the first run: later runs would have to share quotas.
	IF NOT EXISTS (SELECT 1 FROM gb.gb_case) THEN
		ncases := gb.sample_cases(first_id, seed);
	ELSE
		ncases := 0;
	END IF;
	INSERT INTO gb.history (table_name, action, note)
	VALUES ('enterprise', 'sample', format('样例数据：%s 家企业（编号 %s 起），%s 个案件，种子 %s', n, first_id, ncases, seed));
	PERFORM set_config('session_replication_role', 'origin', true);
	RETURN format('%s已生成 %s 家企业、%s 个贯标/示范案件（种子 %s）', loaded, n, ncases, seed);
END $$;
