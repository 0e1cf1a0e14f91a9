# Kyrgyz official texts write the year first and the month in the possessive after the day,
# "2024-жылдын 5-декабры": E is that form in our catalogue (Django's gives "Декабрь"), the one
# commitments.formatting.long_date writes too. Django's ky formats give the rest.
DATE_FORMAT = "Y-жылдын j-E"
DATETIME_FORMAT = "Y-жылдын j-E, H:i"
YEAR_MONTH_FORMAT = "Y-жылдын E"
MONTH_DAY_FORMAT = "j-E"
# Kyrgyz official texts write decimals with a comma ("1,34 млрд"); Django's ky formats use a point.
DECIMAL_SEPARATOR = ","
