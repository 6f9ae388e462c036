"""Gender Scan: HR data import, snapshots, metrics dashboard and baseline report."""
