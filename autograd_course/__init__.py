"""autograd_course: a small NumPy autograd engine with PyTorch's API."""
