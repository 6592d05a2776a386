"""Copying a folder of feeds that ``pe-schedule build`` wrote to where subscribers fetch it."""
