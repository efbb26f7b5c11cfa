"""Exchange with other QDA tools: REFI-QDA project (QDPX) and codebook (QDC)."""
