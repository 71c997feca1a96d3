export { scrapeEnvironment, signalSeries, latestValues, startScraper, STORED_SIGNALS, CHART_SIGNALS, type ScrapeResult, type Series, type SeriesPoint } from "./scrape";
