# The vtdata app: `streamlit run` on port 8501, the database on a volume at /data.
# Runs as a non-root user and writes only to /data (the refresh job) and /tmp, so the
# root file system can be read-only (compose.yaml: `read_only: true` and a /tmp tmpfs).
FROM python:3.11-slim

# Fonts for chart images and PDF profiles (as packages.txt for Streamlit Community Cloud).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# The app's settings (theme, showErrorDetails, magicEnabled) are read from the
# .streamlit folder beside streamlit_app.py, whatever the working directory.
COPY .streamlit ./.streamlit
COPY streamlit_app.py ./
COPY app_pages ./app_pages
COPY vtdata ./vtdata

RUN useradd --uid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin vtdata \
    && mkdir /data && chown vtdata /data
USER 10001

ENV PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    VTDATA_DB=/data/vtdata.duckdb \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "/app/streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
