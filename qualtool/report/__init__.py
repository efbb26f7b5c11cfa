"""From coded quotes to report sections, quote tables and analysis tables."""
