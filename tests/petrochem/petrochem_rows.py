"""Input files shared by the petrochem command tests (from FILE and over the database)."""

ADMIT_CSV = """客户编码,客户名称,客户类别,生产型企业,直接使用公司产品,具有一定生产规模,资金诚信良好
N1,北方管业,直销客户,是,是,是,是
N2,南方管业,直销客户,是,是,否,是
N3,西部管业,直销客户,是,是,是,是
"""
# 第十七条 comes from recorded findings, each with its date and source (N3's is in force; N1's was revoked).
FINDINGS_CSV = """认定编号,客户编码,认定事项,认定日期,认定依据,撤销日期
RD1,N3,提供虚假信息或欺诈失信,2026-03-02,销售部资质核查记录,
RD2,N1,被司法或行政机关立案查处,2026-01-10,区市场监督管理局立案告知书,2026-02-01
"""
