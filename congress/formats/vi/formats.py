# Output formats only: the input formats stay Django's (ISO first, which the browsers' date
# and time pickers send).
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
# A deadline in a sentence: "17:00 18/09/2025", the hour first as Vietnamese texts put it.
DATETIME_FORMAT = "H:i d/m/Y"
# A moment in a table or a list: "18/09/2025 17:00".
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "d/m"
# "18.778 nhiệm vụ": thousands grouped by three (the separator is Django's Vietnamese ".").
NUMBER_GROUPING = 3
