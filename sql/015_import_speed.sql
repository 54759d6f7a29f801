-- 015: the USCC check of every enterprise write, a third cheaper.
-- gb.uscc_valid runs twice for every row written to gb.enterprise (the
-- enterprise_validate trigger's WHEN condition and the CHECK constraint):
-- at an import of 1,000,000 rows that was about 6 s of the INSERT's CPU.
-- Most of it went to gb.uscc_values(): an array with NULLs, where each of
-- the 17 subscripts counts the NULL bitmap up to its position.  Here the
-- characters outside the alphabet have the value 100000 instead of NULL,
-- so that the array has no NULLs and a subscript is one offset; any such
-- character makes the weighted sum at least 100000, and the check
-- character comes from gb.uscc_check_chars(), the character codes by sum
-- (0 .. 9150 = 30 x the sum of the weights): a larger sum is past its end
-- and gives NULL, as before.  Same algorithm, same results as 001/010/012
-- (tests/sql/db_sqlperf.sh compares them on every single-character
-- corruption of a DOMAIN.md example); still plain SQL that the planner
-- inlines.
SET ROLE gb_owner;

-- Value of each character of the USCC alphabet by its code (0..127), lower
-- case as upper case, 100000 for any other character.
CREATE FUNCTION gb.uscc_code_values() RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '[0:127]={100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,0,1,2,3,4,5,6,7,8,9,100000,100000,100000,100000,100000,100000,100000,10,11,12,13,14,15,16,17,100000,18,19,20,21,22,100000,23,24,25,100000,26,27,100000,28,29,30,100000,100000,100000,100000,100000,100000,100000,10,11,12,13,14,15,16,17,100000,18,19,20,21,22,100000,23,24,25,100000,26,27,100000,28,29,30,100000,100000,100000,100000,100000,100000}'::int[] $$;

-- The code of the check character for each weighted sum 0 .. 9150: the
-- character at (31 - sum % 31) % 31 of the alphabet.  Written out here by
-- the migration (a constant the planner folds), not computed per call.
DO $$
BEGIN
	EXECUTE format('CREATE FUNCTION gb.uscc_check_chars() RETURNS int[] '
		'LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
		format('SELECT %L::int[]', (
			SELECT '[0:' || max(s) || ']=' || array_agg(ascii(substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
				(31 - s % 31) % 31 + 1, 1)) ORDER BY s)::text
			FROM generate_series(0, 30 * (1+3+9+27+19+26+16+17+20+29+25+13+8+24+10+30+28)) s)));
END $$;

-- Check character of the first 17 characters, or NULL (see 001 and 012).
CREATE OR REPLACE FUNCTION gb.uscc_check_char(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT chr((gb.uscc_check_chars())[
		(gb.uscc_code_values())[ascii(substr(code, 1, 1))] * 1
		+ (gb.uscc_code_values())[ascii(substr(code, 2, 1))] * 3
		+ (gb.uscc_code_values())[ascii(substr(code, 3, 1))] * 9
		+ (gb.uscc_code_values())[ascii(substr(code, 4, 1))] * 27
		+ (gb.uscc_code_values())[ascii(substr(code, 5, 1))] * 19
		+ (gb.uscc_code_values())[ascii(substr(code, 6, 1))] * 26
		+ (gb.uscc_code_values())[ascii(substr(code, 7, 1))] * 16
		+ (gb.uscc_code_values())[ascii(substr(code, 8, 1))] * 17
		+ (gb.uscc_code_values())[ascii(substr(code, 9, 1))] * 20
		+ (gb.uscc_code_values())[ascii(substr(code, 10, 1))] * 29
		+ (gb.uscc_code_values())[ascii(substr(code, 11, 1))] * 25
		+ (gb.uscc_code_values())[ascii(substr(code, 12, 1))] * 13
		+ (gb.uscc_code_values())[ascii(substr(code, 13, 1))] * 8
		+ (gb.uscc_code_values())[ascii(substr(code, 14, 1))] * 24
		+ (gb.uscc_code_values())[ascii(substr(code, 15, 1))] * 10
		+ (gb.uscc_code_values())[ascii(substr(code, 16, 1))] * 30
		+ (gb.uscc_code_values())[ascii(substr(code, 17, 1))] * 28]) $$;

RESET ROLE;
