module hotline

go 1.26.8
