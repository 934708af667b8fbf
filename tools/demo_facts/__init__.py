"""Hand-written facts for cinerec's bundled demo dataset (see tools/make_demo_data.py)."""
