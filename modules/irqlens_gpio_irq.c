// SPDX-License-Identifier: GPL-2.0
/*
 * irqlens_gpio_irq - one GPIO rising-edge interrupt, three ways to defer its
 * work, so that irqlens can show each of them on a timeline:
 *
 *   mode=workqueue  top half queues a work item; a kworker runs the bottom half
 *   mode=threaded   top half returns IRQ_WAKE_THREAD; irq/N-irqlens-gpio runs it
 *   mode=tasklet    top half schedules a tasklet; the TASKLET softirq runs it
 *
 * The mode is a load-time parameter: `insmod irqlens_gpio_irq.ko mode=tasklet`.
 *
 * Binding:
 *   - Device tree (Raspberry Pi 4B): a node compatible with "irqlens,gpio-irq"
 *     with `irq-gpios = <&gpio 17 0>` (see overlay/irqlens-gpio17-overlay.dts).
 *   - No hardware: `sim_chip=<gpio chip label> sim_line=<offset>` makes the
 *     module register its own platform device and a GPIO lookup for it, e.g.
 *     a line of a gpio-sim chip whose `pull` attribute fires the interrupt.
 *
 * Counters live in debugfs, /sys/kernel/debug/irqlens_gpio/.
 *
 * The top/bottom-half functions are deliberately separate, named, non-inlined
 * functions: they are what function_graph and kernel stacks show.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/gpio/consumer.h>
#include <linux/gpio/machine.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#define IRQLENS_DRV_NAME "irqlens-gpio"

enum irqlens_mode { IRQLENS_WORKQUEUE, IRQLENS_THREADED, IRQLENS_TASKLET };

static const char *const irqlens_mode_names[] = {
	[IRQLENS_WORKQUEUE] = "workqueue",
	[IRQLENS_THREADED] = "threaded",
	[IRQLENS_TASKLET] = "tasklet",
};

static char *mode = "workqueue";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "bottom half: workqueue | threaded | tasklet");

static char *sim_chip;
module_param(sim_chip, charp, 0444);
MODULE_PARM_DESC(sim_chip, "label of a GPIO chip to bind to without device tree (e.g. a gpio-sim bank)");

static uint sim_line;
module_param(sim_line, uint, 0444);
MODULE_PARM_DESC(sim_line, "line offset on sim_chip");

struct irqlens_counters {
	atomic_t top_halves;
	atomic_t wq_bottom_halves;
	atomic_t threaded_bottom_halves;
	atomic_t tasklet_bottom_halves;
	/* Edges whose bottom half was already pending, so no new one ran. */
	atomic_t coalesced;
};

struct irqlens_dev {
	struct device *dev;
	enum irqlens_mode mode;
	int irq;
	struct work_struct work;
	struct tasklet_struct tasklet;
	struct irqlens_counters count;
	/* Threaded mode: set by the top half, cleared when the thread starts. */
	atomic_t thread_pending;
	/* Top-half timestamp, to report the latest top->bottom delay. */
	ktime_t last_top_ns;
	u64 last_delay_ns;
	u64 max_delay_ns;
	struct dentry *debugfs;
};

/* Shared by all modes: account one run of the bottom half. */
static void irqlens_account_bottom(struct irqlens_dev *d, atomic_t *counter)
{
	u64 delay = ktime_to_ns(ktime_sub(ktime_get(), READ_ONCE(d->last_top_ns)));

	WRITE_ONCE(d->last_delay_ns, delay);
	if (delay > READ_ONCE(d->max_delay_ns))
		WRITE_ONCE(d->max_delay_ns, delay);
	atomic_inc(counter);
}

static void irqlens_account_top(struct irqlens_dev *d)
{
	WRITE_ONCE(d->last_top_ns, ktime_get());
	atomic_inc(&d->count.top_halves);
}

/* ---- workqueue ---------------------------------------------------------- */

static noinline void irqlens_wq_bottom_half(struct work_struct *work)
{
	struct irqlens_dev *d = container_of(work, struct irqlens_dev, work);

	irqlens_account_bottom(d, &d->count.wq_bottom_halves);
}

static noinline irqreturn_t irqlens_wq_top_half(int irq, void *data)
{
	struct irqlens_dev *d = data;

	irqlens_account_top(d);
	if (!queue_work(system_wq, &d->work))
		atomic_inc(&d->count.coalesced);
	return IRQ_HANDLED;
}

/* ---- threaded IRQ ------------------------------------------------------- */

static noinline irqreturn_t irqlens_threaded_bottom_half(int irq, void *data)
{
	struct irqlens_dev *d = data;

	atomic_set(&d->thread_pending, 0);
	irqlens_account_bottom(d, &d->count.threaded_bottom_halves);
	return IRQ_HANDLED;
}

/*
 * A wake-up of a thread that has not started yet is merged by the kernel
 * (IRQTF_RUNTHREAD is one bit): count it as coalesced, like a work item or
 * tasklet that is still pending.
 */
static noinline irqreturn_t irqlens_threaded_top_half(int irq, void *data)
{
	struct irqlens_dev *d = data;

	irqlens_account_top(d);
	if (atomic_xchg(&d->thread_pending, 1))
		atomic_inc(&d->count.coalesced);
	return IRQ_WAKE_THREAD;
}

/* ---- tasklet ------------------------------------------------------------ */

static noinline void irqlens_tasklet_bottom_half(struct tasklet_struct *t)
{
	struct irqlens_dev *d = from_tasklet(d, t, tasklet);

	irqlens_account_bottom(d, &d->count.tasklet_bottom_halves);
}

static noinline irqreturn_t irqlens_tasklet_top_half(int irq, void *data)
{
	struct irqlens_dev *d = data;

	irqlens_account_top(d);
	if (test_bit(TASKLET_STATE_SCHED, &d->tasklet.state))
		atomic_inc(&d->count.coalesced);
	tasklet_schedule(&d->tasklet);
	return IRQ_HANDLED;
}

/* ---- debugfs ------------------------------------------------------------ */

static int irqlens_mode_show(struct seq_file *s, void *unused)
{
	struct irqlens_dev *d = s->private;

	seq_printf(s, "%s\n", irqlens_mode_names[d->mode]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(irqlens_mode);

static void irqlens_debugfs_init(struct irqlens_dev *d)
{
	struct dentry *dir = debugfs_create_dir("irqlens_gpio", NULL);

	d->debugfs = dir;
	debugfs_create_file("mode", 0444, dir, d, &irqlens_mode_fops);
	debugfs_create_u32("irq", 0444, dir, (u32 *)&d->irq);
	debugfs_create_atomic_t("top_halves", 0444, dir, &d->count.top_halves);
	debugfs_create_atomic_t("wq_bottom_halves", 0444, dir, &d->count.wq_bottom_halves);
	debugfs_create_atomic_t("threaded_bottom_halves", 0444, dir,
				&d->count.threaded_bottom_halves);
	debugfs_create_atomic_t("tasklet_bottom_halves", 0444, dir,
				&d->count.tasklet_bottom_halves);
	debugfs_create_atomic_t("coalesced", 0444, dir, &d->count.coalesced);
	debugfs_create_u64("last_delay_ns", 0444, dir, &d->last_delay_ns);
	debugfs_create_u64("max_delay_ns", 0444, dir, &d->max_delay_ns);
}

/* ---- probe / remove ----------------------------------------------------- */

static int irqlens_request_irq(struct irqlens_dev *d)
{
	const unsigned long flags = IRQF_TRIGGER_RISING;

	switch (d->mode) {
	case IRQLENS_WORKQUEUE:
		INIT_WORK(&d->work, irqlens_wq_bottom_half);
		return request_irq(d->irq, irqlens_wq_top_half, flags, IRQLENS_DRV_NAME, d);
	case IRQLENS_THREADED:
		return request_threaded_irq(d->irq, irqlens_threaded_top_half,
					    irqlens_threaded_bottom_half, flags,
					    IRQLENS_DRV_NAME, d);
	case IRQLENS_TASKLET:
		tasklet_setup(&d->tasklet, irqlens_tasklet_bottom_half);
		return request_irq(d->irq, irqlens_tasklet_top_half, flags, IRQLENS_DRV_NAME, d);
	}
	return -EINVAL;
}

static int irqlens_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct gpio_desc *gpio;
	struct irqlens_dev *d;
	int mode_idx, ret;

	mode_idx = sysfs_match_string(irqlens_mode_names, mode);
	if (mode_idx < 0)
		return dev_err_probe(dev, -EINVAL, "mode=%s: use workqueue, threaded or tasklet\n", mode);

	d = devm_kzalloc(dev, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->dev = dev;
	d->mode = mode_idx;

	gpio = devm_gpiod_get(dev, "irq", GPIOD_IN);
	if (IS_ERR(gpio))
		return dev_err_probe(dev, PTR_ERR(gpio), "no irq-gpios line\n");
	d->irq = gpiod_to_irq(gpio);
	if (d->irq < 0)
		return dev_err_probe(dev, d->irq, "GPIO line has no interrupt\n");

	ret = irqlens_request_irq(d);
	if (ret)
		return dev_err_probe(dev, ret, "request irq %d\n", d->irq);

	platform_set_drvdata(pdev, d);
	irqlens_debugfs_init(d);
	dev_info(dev, "irq=%d mode=%s\n", d->irq, irqlens_mode_names[d->mode]);
	return 0;
}

/*
 * Order matters: first stop new top halves (free_irq also waits for a running
 * handler and, in threaded mode, for the irq thread), then wait for / cancel
 * bottom halves that are still queued, then drop the counters.
 */
static void irqlens_teardown(struct platform_device *pdev)
{
	struct irqlens_dev *d = platform_get_drvdata(pdev);

	free_irq(d->irq, d);
	if (d->mode == IRQLENS_WORKQUEUE)
		cancel_work_sync(&d->work);
	else if (d->mode == IRQLENS_TASKLET)
		tasklet_kill(&d->tasklet);
	debugfs_remove_recursive(d->debugfs);
	dev_info(&pdev->dev, "removed: %d top halves, %d/%d/%d wq/threaded/tasklet bottom halves\n",
		 atomic_read(&d->count.top_halves), atomic_read(&d->count.wq_bottom_halves),
		 atomic_read(&d->count.threaded_bottom_halves),
		 atomic_read(&d->count.tasklet_bottom_halves));
}

/* Since 6.11 .remove returns void (Raspberry Pi OS ships 6.12; Debian 12 6.1). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static void irqlens_remove(struct platform_device *pdev)
{
	irqlens_teardown(pdev);
}
#else
static int irqlens_remove(struct platform_device *pdev)
{
	irqlens_teardown(pdev);
	return 0;
}
#endif

static const struct of_device_id irqlens_of_match[] = {
	{ .compatible = "irqlens,gpio-irq" },
	{}
};
MODULE_DEVICE_TABLE(of, irqlens_of_match);

static struct platform_driver irqlens_driver = {
	.probe = irqlens_probe,
	.remove = irqlens_remove,
	.driver = {
		.name = IRQLENS_DRV_NAME,
		.of_match_table = irqlens_of_match,
	},
};

/* ---- no-device-tree binding (gpio-sim or any labelled chip) -------------- */

static struct platform_device *irqlens_sim_pdev;
static struct gpiod_lookup_table *irqlens_sim_lookup;

static int irqlens_sim_bind(void)
{
	struct gpiod_lookup_table *t;

	t = kzalloc(struct_size(t, table, 2), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->dev_id = IRQLENS_DRV_NAME;
	t->table[0] = (struct gpiod_lookup)GPIO_LOOKUP(sim_chip, sim_line, "irq", GPIO_ACTIVE_HIGH);
	gpiod_add_lookup_table(t);
	irqlens_sim_lookup = t;

	irqlens_sim_pdev = platform_device_register_simple(IRQLENS_DRV_NAME, PLATFORM_DEVID_NONE,
							   NULL, 0);
	if (IS_ERR(irqlens_sim_pdev)) {
		gpiod_remove_lookup_table(t);
		kfree(t);
		return PTR_ERR(irqlens_sim_pdev);
	}
	/* Fail the insmod, rather than load a module that watches nothing. */
	if (!irqlens_sim_pdev->dev.driver) {
		pr_err(IRQLENS_DRV_NAME ": cannot bind to line %u of GPIO chip '%s' (see dmesg)\n",
		       sim_line, sim_chip);
		platform_device_unregister(irqlens_sim_pdev);
		gpiod_remove_lookup_table(t);
		kfree(t);
		irqlens_sim_lookup = NULL;
		return -ENODEV;
	}
	return 0;
}

static void irqlens_sim_unbind(void)
{
	if (!irqlens_sim_lookup)
		return;
	platform_device_unregister(irqlens_sim_pdev);
	gpiod_remove_lookup_table(irqlens_sim_lookup);
	kfree(irqlens_sim_lookup);
}

static int __init irqlens_init(void)
{
	int ret = platform_driver_register(&irqlens_driver);

	if (ret || !sim_chip)
		return ret;
	ret = irqlens_sim_bind();
	if (ret)
		platform_driver_unregister(&irqlens_driver);
	return ret;
}

static void __exit irqlens_exit(void)
{
	irqlens_sim_unbind();
	platform_driver_unregister(&irqlens_driver);
}

module_init(irqlens_init);
module_exit(irqlens_exit);

MODULE_DESCRIPTION("GPIO rising-edge IRQ with a workqueue, threaded or tasklet bottom half");
MODULE_AUTHOR("irqlens");
MODULE_LICENSE("GPL");
