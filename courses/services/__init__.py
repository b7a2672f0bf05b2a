"""What the course views need, computed in a fixed number of queries whatever the course size."""
