/**
 * A date field that reads and writes YYYY-MM-DD whatever the browser's locale (the native date
 * picker shows mm/dd/yyyy in an English Chromium; China writes 2027-03-31). A text input with
 * the format as placeholder and pattern; the forms check the value before sending.
 */
export function DateInput({ id, value, onChange, testId }: { id: string; value: string; onChange(value: string): void; testId?: string }) {
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="YYYY-MM-DD"
      pattern="\d{4}-\d{2}-\d{2}"
      maxLength={10}
      size={11}
      value={value}
      onChange={(e) => onChange(e.target.value.trim())}
      data-testid={testId}
    />
  );
}
