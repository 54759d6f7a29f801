-- 002: reference data: workflow states, actions and transitions (the state
-- machines as data), material kinds, column labels.
SET ROLE gb_owner;

INSERT INTO gb.wf_state (kind, code, label, sort_order, is_open) VALUES
	('gb', 'draft', '草稿', 10, true),
	('gb', 'applied', '已申请', 20, true),
	('gb', 'submitted', '已报市信用办', 30, true),
	('gb', 'returned', '已退回', 40, true),
	('gb', 'enrolled', '已入选', 50, true),
	('gb', 'implementing', '贯标实施中', 60, true),
	('gb', 'acceptance_requested', '已申请验收', 70, true),
	('gb', 'rectifying', '整改中', 80, true),
	('gb', 'passed', '验收通过', 90, false),
	('gb', 'failed', '验收未通过', 100, false),
	('gb', 'withdrawn', '已撤回', 110, false),
	('gb', 'disqualified', '已取消资格', 120, false),
	('demo', 'nominated', '已提名', 10, true),
	('demo', 'pre_approved', '已初审', 20, true),
	('demo', 'recommended', '已推荐', 30, true),
	('demo', 'coaching', '跟踪辅导中', 40, true),
	('demo', 'evaluated', '已评价', 50, true),
	('demo', 'publicised', '公示中', 60, true),
	('demo', 'designated', '已认定', 70, true),
	('demo', 'rectifying', '限期整改中', 80, true),
	('demo', 'rejected', '未通过', 90, false),
	('demo', 'revoked', '已取消资格', 100, false),
	('demo', 'withdrawn', '已撤回', 110, false);

INSERT INTO gb.wf_action (kind, code, label, note_required) VALUES
	('gb', 'apply', '登记申请', false),
	('gb', 'submit', '报市信用办', false),
	('gb', 'return', '退回', true),
	('gb', 'enrol', '确定入选', false),
	('gb', 'start', '开始贯标实施', false),
	('gb', 'request_acceptance', '申请验收', false),
	('gb', 'pass', '验收通过', false),
	('gb', 'rectify', '要求整改', true),
	('gb', 'fail', '验收不通过', true),
	('gb', 'withdraw', '撤回', true),
	('gb', 'disqualify', '取消资格', true);

INSERT INTO gb.wf_action (kind, code, label, note_required) VALUES
	('demo', 'nominate', '提名', false),
	('demo', 'pre_approve', '初审通过', false),
	('demo', 'recommend', '推荐', false),
	('demo', 'start_coaching', '开始跟踪辅导', false),
	('demo', 'evaluate', '登记现场评价', false),
	('demo', 'publicise', '公示', false),
	('demo', 'designate', '认定', false),
	('demo', 'reject', '不予通过', true),
	('demo', 'rectify', '限期整改', true),
	('demo', 'reinstate', '整改合格', true),
	('demo', 'revoke', '取消资格', true),
	('demo', 'withdraw', '撤回', true);

-- The actions that move a case forward: these make the work queue.
UPDATE gb.wf_action SET in_queue = true
WHERE (kind, code) IN (('gb', 'apply'), ('gb', 'submit'), ('gb', 'enrol'), ('gb', 'start'),
	('gb', 'request_acceptance'), ('gb', 'pass'), ('demo', 'pre_approve'), ('demo', 'recommend'),
	('demo', 'start_coaching'), ('demo', 'evaluate'), ('demo', 'publicise'), ('demo', 'designate'),
	('demo', 'reinstate'));

-- deadline_code may contain {level} (suzhou/province) for 示范 cases.
INSERT INTO gb.wf_transition (kind, from_state, action, role, to_state, deadline_code)
SELECT 'gb', f, a, r, t, d FROM (VALUES
	('draft', 'apply', '{district,city}', 'applied', 'gb_list'),
	('returned', 'apply', '{district,city}', 'applied', 'gb_summary'),
	('applied', 'submit', '{district,city}', 'submitted', 'gb_summary'),
	('submitted', 'return', '{city}', 'returned', NULL),
	('submitted', 'enrol', '{city}', 'enrolled', NULL),
	('enrolled', 'start', '{agency,city}', 'implementing', 'gb_acceptance'),
	('implementing', 'request_acceptance', '{agency,city}', 'acceptance_requested', 'gb_acceptance'),
	('rectifying', 'request_acceptance', '{agency,city}', 'acceptance_requested', 'gb_acceptance'),
	('acceptance_requested', 'pass', '{city}', 'passed', 'gb_acceptance'),
	('acceptance_requested', 'rectify', '{city}', 'rectifying', 'gb_acceptance'),
	('acceptance_requested', 'fail', '{city}', 'failed', 'gb_acceptance'),
	('rectifying', 'fail', '{city}', 'failed', 'gb_acceptance'),
	('draft', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('applied', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('submitted', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('returned', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('enrolled', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('implementing', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('rectifying', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('draft', 'disqualify', '{city}', 'disqualified', NULL),
	('applied', 'disqualify', '{city}', 'disqualified', NULL),
	('submitted', 'disqualify', '{city}', 'disqualified', NULL),
	('returned', 'disqualify', '{city}', 'disqualified', NULL),
	('enrolled', 'disqualify', '{city}', 'disqualified', NULL),
	('implementing', 'disqualify', '{city}', 'disqualified', NULL),
	('acceptance_requested', 'disqualify', '{city}', 'disqualified', NULL),
	('rectifying', 'disqualify', '{city}', 'disqualified', NULL),
	('passed', 'disqualify', '{city}', 'disqualified', NULL)
) AS v(f, a, roles, t, d), unnest(roles::text[]) AS r;

INSERT INTO gb.wf_transition (kind, from_state, action, role, to_state, deadline_code)
SELECT 'demo', f, a, r, t, d FROM (VALUES
	('nominated', 'pre_approve', '{city}', 'pre_approved', 'demo_{level}_recommend'),
	('pre_approved', 'recommend', '{city}', 'recommended', 'demo_{level}_recommend'),
	('recommended', 'start_coaching', '{agency,city}', 'coaching', NULL),
	('coaching', 'evaluate', '{city}', 'evaluated', 'demo_{level}_evaluation'),
	('evaluated', 'publicise', '{city}', 'publicised', 'demo_{level}_evaluation'),
	('publicised', 'designate', '{city}', 'designated', NULL),
	('nominated', 'reject', '{city}', 'rejected', NULL),
	('pre_approved', 'reject', '{city}', 'rejected', NULL),
	('recommended', 'reject', '{city}', 'rejected', NULL),
	('evaluated', 'reject', '{city}', 'rejected', NULL),
	('publicised', 'reject', '{city}', 'rejected', NULL),
	('designated', 'rectify', '{city}', 'rectifying', NULL),
	('rectifying', 'reinstate', '{city}', 'designated', NULL),
	('rectifying', 'revoke', '{city}', 'revoked', NULL),
	('designated', 'revoke', '{city}', 'revoked', NULL),
	('nominated', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('pre_approved', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('recommended', 'withdraw', '{district,city}', 'withdrawn', NULL),
	('coaching', 'withdraw', '{district,city}', 'withdrawn', NULL)
) AS v(f, a, roles, t, d), unnest(roles::text[]) AS r;

INSERT INTO gb.material_kind (programme, code, label, sort_order, required) VALUES
	('gb', 'credit_report', '有效期内的《社会法人信用信息查询报告》', 1, true),
	('gb', 'work_summary', '企业贯标工作总结报告', 2, true),
	('gb', 'internal_evaluation', '企业信用管理内部评估报告', 3, true),
	('gb', 'commitment_letter', '贯标申请信用承诺书', 4, true),
	('gb', 'indicator_evidence', '省企业信用管理状况评价指标的佐证材料', 5, true),
	('gb', 'application_form', '《江苏省企业信用管理贯标申请表》', 6, true),
	('gb', 'other', '市信用办要求提供的其他材料', 7, false),
	('demo', 'cover', '封面', 1, true),
	('demo', 'toc', '目录', 2, true),
	('demo', 'suzhou_form', '苏州市信用管理示范企业申报表', 3, true),
	('demo', 'agency_contract', '信用服务机构与企业签订的合同（经市信用办盖章鉴定）', 4, true),
	('demo', 'site_report', '现场调查报告及企业负责人签字的现场调查回执', 5, true),
	('demo', 'internal_evaluation', '企业信用管理内部评估报告', 6, true),
	('demo', 'work_plan', '企业信用管理示范创建工作计划', 7, true),
	('demo', 'evaluation_report', '企业信用管理评价报告及企业书面反馈意见', 8, true),
	('demo', 'stamped_form', '苏州市信用管理示范企业申报表（市信用办初审盖章）', 9, true),
	('demo', 'credit_report', '有效期内的《社会法人信用信息查询报告》', 10, true);

INSERT INTO gb.field_label (table_name, column_name, label) VALUES
	('enterprise', 'uscc', '统一社会信用代码'),
	('enterprise', 'name', '企业名称'),
	('enterprise', 'district_id', '所在区镇'),
	('enterprise', 'industry', '行业'),
	('enterprise', 'above_scale', '规模以上'),
	('enterprise', 'established_on', '成立日期'),
	('enterprise', 'independent_legal_person', '独立法人'),
	('enterprise', 'main_products', '主要产品'),
	('enterprise', 'sales_revenue_wan', '去年销售收入（万元）'),
	('enterprise', 'sales_year', '销售收入年度'),
	('enterprise', 'employees', '职工人数'),
	('enterprise', 'contact_name', '联系人'),
	('enterprise', 'contact_phone', '电话'),
	('gb_case', 'management_committed', '企业负责人重视'),
	('gb_case', 'working_group_formed', '成立贯标工作小组'),
	('gb_case', 'work_plan_done', '制定工作方案'),
	('gb_case', 'dedicated_staff', '专职人员'),
	('gb_case', 'department_defined', '明确信用管理部门和岗位职责'),
	('gb_case', 'internal_evaluation_done', '完成内部评估报告'),
	('gb_case', 'state', '状态'),
	('gb_case', 'opinion', '验收意见'),
	('gb_case', 'acceptance_score', '验收得分'),
	('gb_case', 'note', '备注'),
	('demo_case', 'state', '状态'),
	('demo_case', 'evaluation_score', '评价得分'),
	('demo_case', 'designation_doc_no', '认定文号'),
	('demo_case', 'rectify_by', '整改期限'),
	('demo_case', 'note', '备注');

RESET ROLE;
