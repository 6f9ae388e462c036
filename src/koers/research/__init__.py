"""Research workspace: approved projects analyse pooled Career Compass data (issue 21)."""
