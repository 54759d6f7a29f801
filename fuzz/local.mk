# fuzz targets (--enable-fuzzing)
