"""Sales-floor reception, customer ownership and commission split (房地产销售客户管理)."""
