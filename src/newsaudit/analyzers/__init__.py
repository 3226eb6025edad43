"""Analyzers: independent steps that each add typed, span-carrying annotations."""
