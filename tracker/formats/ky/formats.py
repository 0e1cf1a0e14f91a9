# Kyrgyz official texts write decimals with a comma ("1,34 млрд"); Django's ky formats use a point.
DECIMAL_SEPARATOR = ","
