"""Open data: the columns of every published table (``fields``), the Frictionless Data Package
(``datapackage``), the DCAT-AP_IT catalogue (``dcat``) and the zip of all data (``bundle``).

Plain Python, no MkDocs: the glue publishes the bytes these modules return under ``dati/``.
"""
