"""Files on disk: the organisation file format, atomic writes, locks, recovery snapshots, bounded inputs, output checks and where things live."""
