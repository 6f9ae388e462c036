"""The reporting box (meldpunt): anonymous reports of unwanted behaviour for the confidential
adviser, with a receipt code for a conversation back and forth."""
