print("loadreport")
