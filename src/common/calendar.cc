// Calendar.
