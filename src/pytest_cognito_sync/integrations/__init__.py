"""Adapters to other AWS fakes that may run in the same process."""
